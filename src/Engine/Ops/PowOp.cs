using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"pow": elementwise, with the node's constant <c>exponent</c>.</summary>
internal sealed class PowOp() : OpDefinition("pow", 120, 1, ShapeRules.Same)
{
    public override string? Check(NodeDefinition node) =>
        node.Exponent is { } p && double.IsFinite(p) ? null : $"Node '{node.Id}' (pow) needs a finite 'exponent'.";

    public override Op<T> Create<T>(NodeDefinition node) =>
        new PowOp<T>(node.Exponent ?? throw new ArgumentException($"Node '{node.Id}' (pow) needs an exponent."));
}

/// <summary>y = x^p for a constant exponent p; dy/dx = p·x^(p−1).</summary>
internal sealed class PowOp<T>(double exponent) : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _p = T.CreateChecked(exponent);

    protected override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        for (var i = 0; i < x.Length; i++) y[i] = T.Pow(x[i], _p);
    }

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative)
    {
        for (var i = 0; i < x.Length; i++) derivative[i] = _p * T.Pow(x[i], _p - T.One);
    }
}
