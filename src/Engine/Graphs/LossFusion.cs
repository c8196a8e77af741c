using System.Numerics;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>
/// A sigmoid feeding only a binary cross-entropy (or a softmax feeding only a cross-entropy): training replaces the
/// pair's backward by the fused (p − y), which is faster and cannot divide by a saturated p(1 − p).
/// </summary>
internal sealed record LossFusion(int Loss, int Activation, int Logits, string LossOp)
{
    public static LossFusion? Find(ValidatedGraph graph)
    {
        if (graph.LossIndex is not { } loss) return null;
        var lossOp = graph.Nodes[loss].Op;
        var activation = graph.Operands[loss][0];
        var expected = lossOp switch { "binary_cross_entropy" => "sigmoid", "cross_entropy" => "softmax", _ => null };
        if (expected is null || graph.Nodes[activation].Op != expected || graph.ConsumerCounts[activation] != 1) return null;
        return new LossFusion(loss, activation, graph.Operands[activation][0], lossOp);
    }

    public Op<T> CreateOp<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        LossOp == "binary_cross_entropy" ? new SigmoidBinaryCrossEntropyOp<T>() : new SoftmaxCrossEntropyOp<T>();
}
