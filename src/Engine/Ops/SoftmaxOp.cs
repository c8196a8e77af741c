using System.Numerics;
using System.Numerics.Tensors;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>
/// "softmax": row-wise over a vector or matrix; a layer activation for the last layer only (Xavier init); unrolled as
/// one exp per element divided by its row's sum.
/// </summary>
internal sealed class SoftmaxOp() : OpDefinition("softmax", 210, 1, OutputShapeOf)
{
    public override LayerActivation Activation { get; } = new(Position: 4, DefaultInit: "xavier", LastLayerOnly: true);

    public override Op<T> Create<T>(NodeDefinition node) => new SoftmaxOp<T>();

    public override string[] Unroll(GraphUnroller unroller, NodeDefinition node, Shape shape, UnrolledOperand[] operands)
    {
        var (id, logits) = (node.Id, operands[0].Ids);
        var ids = new string[shape.Length];
        for (var r = 0; r < shape.Rows; r++)
        {
            var exps = new string[shape.Cols];
            for (var c = 0; c < shape.Cols; c++)
            {
                exps[c] = $"{GraphUnroller.ElementId(id, shape, r * shape.Cols + c)}.exp";
                unroller.Add(new NodeDefinition { Id = exps[c], Op = "exp", Inputs = [logits[r * shape.Cols + c]] });
            }
            var total = unroller.SumChain(shape.Rank == 2 ? $"{id}[{r}].sum" : $"{id}.sum", exps);
            for (var c = 0; c < shape.Cols; c++)
            {
                ids[r * shape.Cols + c] = GraphUnroller.ElementId(id, shape, r * shape.Cols + c);
                unroller.Add(new NodeDefinition { Id = ids[r * shape.Cols + c], Op = "div", Inputs = [exps[c], total] });
            }
        }
        return ids;
    }

    private static Shape OutputShapeOf(Shape[] inputs) =>
        inputs[0].Rank >= 1 ? inputs[0] : throw new ArgumentException("softmax needs a vector or a matrix, got a scalar.");
}

/// <summary>
/// Row-wise yᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x) (shifting by the max cannot overflow);
/// dx = y ⊙ (dy − (dy · y)).
/// </summary>
internal sealed class SoftmaxOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        // NOTE: TensorPrimitives.SoftMax does not shift by the max (e^1000 overflows to ∞ and gives NaN), so shift here.
        for (var r = 0; r < output.Shape.Rows; r++)
        {
            var x = inputs[0].Row(r);
            var y = output.Row(r);
            TensorPrimitives.Subtract(x, TensorPrimitives.Max<T>(x), y);
            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Divide(y, TensorPrimitives.Sum<T>(y), y);
        }
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var grad = inputGrads[0];
        if (grad is null) return;
        for (var r = 0; r < output.Shape.Rows; r++)
        {
            var y = output.Row(r);
            var dy = outputGrad.Row(r);
            var dx = grad.Row(r);
            var dot = TensorPrimitives.Dot<T>(dy, y);
            for (var i = 0; i < y.Length; i++) dx[i] += y[i] * (dy[i] - dot);
        }
    }
}
