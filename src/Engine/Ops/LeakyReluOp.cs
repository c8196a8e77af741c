using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"leaky_relu": elementwise, with the node's optional <c>alpha</c>; a layer activation (He init).</summary>
internal sealed class LeakyReluOp() : OpDefinition("leaky_relu", 200, 1, ShapeRules.Same)
{
    public const double DefaultAlpha = 0.01;

    public override LayerActivation Activation { get; } = new(Position: 3, DefaultInit: "he");
    public override Op<T> Create<T>(NodeDefinition node) => new LeakyReluOp<T>(node.Alpha ?? DefaultAlpha);
}

/// <summary>y = x where x &gt; 0, else αx (α = 0.01 unless the node says); dy/dx = 1 or α.</summary>
internal sealed class LeakyReluOp<T>(double alpha) : UnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _alpha = T.CreateChecked(alpha);

    protected override void Apply(ReadOnlySpan<T> x, Span<T> y)
    {
        for (var i = 0; i < x.Length; i++) y[i] = x[i] > T.Zero ? x[i] : _alpha * x[i];
    }

    protected override void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative)
    {
        for (var i = 0; i < x.Length; i++) derivative[i] = x[i] > T.Zero ? T.One : _alpha;
    }
}
