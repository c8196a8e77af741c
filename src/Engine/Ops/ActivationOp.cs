using System.Numerics;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>
/// Driver of the hot activations: an op states its forward and names its derivative as an
/// <see cref="IActivationDerivative{T}"/>; the backward dx += dy ⊙ f'(x) runs in one fused pass
/// (<see cref="ActivationGradient"/>), so no derivative buffer is written and read back.
/// </summary>
internal abstract class ActivationOp<T, TDerivative> : Op<T>
    where T : unmanaged, IFloatingPointIeee754<T> where TDerivative : struct, IActivationDerivative<T>
{
    public sealed override void Forward(Tensor<T>[] inputs, Tensor<T> output) => Apply(inputs[0].Data, output.Data);

    public sealed override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        if (inputGrads[0] is { } grad)
            ActivationGradient.Accumulate<T, TDerivative>(inputs[0].Data, output.Data, outputGrad.Data, grad.Data);
    }

    protected abstract void Apply(ReadOnlySpan<T> x, Span<T> y);
}
