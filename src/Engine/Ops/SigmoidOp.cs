using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>"sigmoid": elementwise; a layer activation (Xavier init).</summary>
internal sealed class SigmoidOp() : OpDefinition("sigmoid", 180, 1, ShapeRules.Same)
{
    public override LayerActivation Activation { get; } = new(Position: 0, DefaultInit: "xavier");
    public override Op<T> Create<T>(NodeDefinition node) => new SigmoidOp<T>();
}

/// <summary>y = σ(x) = 1 / (1 + e⁻ˣ); dy/dx = y(1 − y).</summary>
internal sealed class SigmoidOp<T> : ActivationOp<T, SigmoidDerivative<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    // NOTE: TensorPrimitives.Sigmoid saturates to 0 or 1 for large |x| instead of overflowing.
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Sigmoid(x, y);
}

/// <summary>σ'(x) = (1 − y)·y.</summary>
internal readonly struct SigmoidDerivative<T> : IActivationDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Derivative(T x, T y) => (T.One - y) * y;
    public static Vector256<T> Derivative(Vector256<T> x, Vector256<T> y) => (Vector256<T>.One - y) * y;
    public static Vector512<T> Derivative(Vector512<T> x, Vector512<T> y) => (Vector512<T>.One - y) * y;
}
