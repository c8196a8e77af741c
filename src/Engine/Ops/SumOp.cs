using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"sum": the sum of every element, a scalar; unrolled as a partial-sum chain.</summary>
internal sealed class SumOp() : OpDefinition("sum", 220, 1, ShapeRules.Reduction)
{
    public override Op<T> Create<T>(NodeDefinition node) => new SumOp<T>();

    public override string[] Unroll(GraphUnroller unroller, NodeDefinition node, Shape shape, UnrolledOperand[] operands) =>
        [unroller.SumChain(node.Id, operands[0].Ids)];
}

/// <summary>y = Σᵢ xᵢ (a scalar); dy/dxᵢ = 1.</summary>
internal sealed class SumOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output) => output.Data[0] = TensorPrimitives.Sum<T>(inputs[0].Data);

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        if (inputGrads[0] is { } grad) TensorPrimitives.Add(grad.Data, outputGrad.Data[0], grad.Data);
    }
}
