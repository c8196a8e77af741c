using System.Numerics;
using BackpropService.Engine.Kernels;

namespace BackpropService.Engine.Ops;

/// <summary>Y = A·B for A [m, k] (a vector is one row) and B [k, n]; dA = dY·Bᵀ, dB = Aᵀ·dY.</summary>
internal sealed class MatMulOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        var (a, b) = (inputs[0], inputs[1]);
        MatMul.Multiply<T>(a.Data, b.Data, output.Data, a.Shape.Rows, a.Shape.Cols, b.Shape.Cols);
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var (a, b) = (inputs[0], inputs[1]);
        int m = a.Shape.Rows, k = a.Shape.Cols, n = b.Shape.Cols;
        if (inputGrads[0] is { } gradA) MatMul.MultiplyTransposedBAccumulate<T>(outputGrad.Data, b.Data, gradA.Data, m, n, k);
        if (inputGrads[1] is { } gradB) MatMul.MultiplyTransposedAAccumulate<T>(a.Data, outputGrad.Data, gradB.Data, m, k, n);
    }
}
