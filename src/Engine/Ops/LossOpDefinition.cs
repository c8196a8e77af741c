using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>
/// What a loss adds to an op's description: two operands (prediction, target) of one shape, a scalar output, what it
/// averages over, the activation training may fuse it with, and what the layered form's output layer must be.
/// </summary>
internal abstract class LossOpDefinition(string name, int position, bool averagesOverRows)
    : OpDefinition(name, position, 2, ShapeRules.Loss, OpKind.Loss)
{
    /// <summary>The activation whose pair with this loss training replaces by <see cref="CreateFused{T}"/>; null if none.</summary>
    public virtual string? FusedActivation => null;

    /// <summary>The fused op on (logits, target, activation output) whose backward is (p − y) scaled.</summary>
    public virtual Op<T> CreateFused<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new InvalidOperationException($"'{Name}' has no fused form.");

    /// <summary>The activation the layered form's last layer must have, and why; null if any will do.</summary>
    public virtual OutputRequirement? LayeredOutput => null;

    /// <summary>The same loss on each element pair, summed and divided by what the tensor loss averages over.</summary>
    public sealed override string[] Unroll(GraphUnroller unroller, NodeDefinition node, Shape shape, UnrolledOperand[] operands) =>
        [unroller.ElementwiseLoss(node, operands, divisor: averagesOverRows ? operands[0].Shape.Rows : operands[0].Ids.Length)];
}
