using System.Numerics;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>
/// An activation feeding only the loss it fuses with (<see cref="LossOpDefinition.FusedActivation"/>: a sigmoid into a
/// binary cross-entropy, a softmax into a cross-entropy): training replaces the pair's backward by the fused (p − y),
/// which is faster and cannot divide by a saturated p(1 − p).
/// </summary>
internal sealed record LossFusion(int Loss, int Activation, int Logits, string LossOp)
{
    public static LossFusion? Find(ValidatedGraph graph)
    {
        if (graph.LossIndex is not { } loss) return null;
        var lossOp = graph.Nodes[loss].Op;
        var activation = graph.Operands[loss][0];
        var expected = (OpRegistry.Get(lossOp) as LossOpDefinition)?.FusedActivation;
        if (expected is null || graph.Nodes[activation].Op != expected || graph.ConsumerCounts[activation] != 1) return null;
        return new LossFusion(loss, activation, graph.Operands[activation][0], lossOp);
    }

    public Op<T> CreateOp<T>() where T : unmanaged, IFloatingPointIeee754<T> => ((LossOpDefinition)OpRegistry.Get(LossOp)).CreateFused<T>();
}
