using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"mse": a loss averaged over every element.</summary>
internal sealed class MseOp() : LossOpDefinition("mse", 260, averagesOverRows: false)
{
    public override Op<T> Create<T>(NodeDefinition node) => new MseOp<T>();
}

/// <summary>C = (1/n) Σ (p − y)² over all n elements; dC/dp = 2(p − y)/n, dC/dy = −2(p − y)/n.</summary>
internal sealed class MseOp<T> : LossOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _difference = []; // p − y, one element per prediction

    public override void Prepare(Shape[] inputShapes, Shape outputShape) => _difference = new T[inputShapes[0].Length];

    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        TensorPrimitives.Subtract(inputs[0].Data, inputs[1].Data, _difference);
        output.Data[0] = TensorPrimitives.SumOfSquares<T>(_difference) / T.CreateChecked(_difference.Length);
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var scale = T.CreateChecked(2) * outputGrad.Data[0] / T.CreateChecked(_difference.Length);
        TensorPrimitives.Subtract(inputs[0].Data, inputs[1].Data, _difference);
        if (inputGrads[0] is { } gradP) TensorPrimitives.MultiplyAdd(_difference, scale, gradP.Data, gradP.Data);
        if (inputGrads[1] is { } gradY) TensorPrimitives.MultiplyAdd(_difference, -scale, gradY.Data, gradY.Data);
    }
}
