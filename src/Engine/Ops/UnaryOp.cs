using System.Numerics;
using System.Numerics.Tensors;

namespace BackpropService.Engine.Ops;

/// <summary>
/// Shared driver of elementwise one-operand ops: an op states its forward and its local derivative
/// f'(x) (given x and y = f(x)); the chain rule dx += dy ⊙ f'(x) is applied here once.
/// The hot activations skip the derivative buffer instead: see <see cref="ActivationOp{T, TDerivative}"/>.
/// </summary>
internal abstract class UnaryOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _derivative = [];

    public override void Prepare(Shape[] inputShapes, Shape outputShape) => _derivative = new T[outputShape.Length];

    public sealed override void Forward(Tensor<T>[] inputs, Tensor<T> output) => Apply(inputs[0].Data, output.Data);

    public sealed override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var grad = inputGrads[0];
        if (grad is null) return;
        Derivative(inputs[0].Data, output.Data, _derivative);
        TensorPrimitives.MultiplyAdd(outputGrad.Data, _derivative, grad.Data, grad.Data);
    }

    protected abstract void Apply(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>Writes f'(x) elementwise, given x and y = f(x).</summary>
    protected abstract void Derivative(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> derivative);
}
