using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"mean": the mean of every element, a scalar; unrolled as a partial-sum chain divided by the count.</summary>
internal sealed class MeanOp() : OpDefinition("mean", 230, 1, ShapeRules.Reduction)
{
    public override Op<T> Create<T>(NodeDefinition node) => new MeanOp<T>();

    public override string[] Unroll(GraphUnroller unroller, NodeDefinition node, Shape shape, UnrolledOperand[] operands) =>
        [unroller.Scale(node.Id, unroller.SumChain($"{node.Id}.sum", operands[0].Ids), operands[0].Ids.Length)];
}

/// <summary>y = (1/n) Σᵢ xᵢ (a scalar); dy/dxᵢ = 1/n.</summary>
internal sealed class MeanOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output) =>
        output.Data[0] = TensorPrimitives.Sum<T>(inputs[0].Data) / T.CreateChecked(inputs[0].Length);

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        if (inputGrads[0] is { } grad)
            TensorPrimitives.Add(grad.Data, outputGrad.Data[0] / T.CreateChecked(grad.Length), grad.Data);
    }
}
