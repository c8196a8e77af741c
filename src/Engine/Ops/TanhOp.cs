using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>"tanh": elementwise; a layer activation (Xavier init).</summary>
internal sealed class TanhOp() : OpDefinition("tanh", 170, 1, ShapeRules.Same)
{
    public override LayerActivation Activation { get; } = new(Position: 1, DefaultInit: "xavier");
    public override Op<T> Create<T>(NodeDefinition node) => new TanhOp<T>();
}

/// <summary>y = tanh x; dy/dx = 1 − y².</summary>
internal sealed class TanhOp<T> : ActivationOp<T, TanhDerivative<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Tanh(x, y);
}

/// <summary>tanh'(x) = (−y)·y + 1.</summary>
internal readonly struct TanhDerivative<T> : IActivationDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Derivative(T x, T y) => -y * y + T.One;
    public static Vector256<T> Derivative(Vector256<T> x, Vector256<T> y) => -y * y + Vector256<T>.One;
    public static Vector512<T> Derivative(Vector512<T> x, Vector512<T> y) => -y * y + Vector512<T>.One;
}
