using System.Numerics;

namespace BackpropService.Engine.Ops;

/// <summary>Shared shape of the losses: operands (prediction, target), a scalar output averaged over the batch.</summary>
internal abstract class LossOp<T> : Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Smallest probability a log is taken of, so a saturated prediction gives a large finite cost, not ∞.</summary>
    protected static readonly T Epsilon = T.CreateChecked(typeof(T) == typeof(float) ? 1e-7 : 1e-12);

    protected static T Clamp(T p) => T.Clamp(p, Epsilon, T.One - Epsilon);
}
