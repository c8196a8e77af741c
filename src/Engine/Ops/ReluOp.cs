using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using BackpropService.Engine.Graphs;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>"relu": elementwise; a layer activation (He init, which keeps its variance).</summary>
internal sealed class ReluOp() : OpDefinition("relu", 190, 1, ShapeRules.Same)
{
    public override LayerActivation Activation { get; } = new(Position: 2, DefaultInit: "he");
    public override Op<T> Create<T>(NodeDefinition node) => new ReluOp<T>();
}

/// <summary>y = max(x, 0); dy/dx = 1 where x &gt; 0, else 0.</summary>
internal sealed class ReluOp<T> : ActivationOp<T, ReluDerivative<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected override void Apply(ReadOnlySpan<T> x, Span<T> y) => TensorPrimitives.Max(x, T.Zero, y);
}

/// <summary>relu'(x) = 1 where x &gt; 0, else 0.</summary>
internal readonly struct ReluDerivative<T> : IActivationDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Derivative(T x, T y) => x > T.Zero ? T.One : T.Zero;
    public static Vector256<T> Derivative(Vector256<T> x, Vector256<T> y) => Vector256.GreaterThan(x, Vector256<T>.Zero) & Vector256<T>.One;
    public static Vector512<T> Derivative(Vector512<T> x, Vector512<T> y) => Vector512.GreaterThan(x, Vector512<T>.Zero) & Vector512<T>.One;
}
