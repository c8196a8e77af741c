namespace BackpropService.TestKit;

/// <summary>
/// One epoch of a job's history or stream. The cost is kept as its bits, so two points are equal only when their
/// costs are the same double bit for bit (0.0 and −0.0 differ); <see cref="long.MinValue"/> stands for no cost.
/// </summary>
public readonly record struct EpochCost(int Epoch, long CostBits)
{
    public double? Cost => CostBits == long.MinValue ? null : BitConverter.Int64BitsToDouble(CostBits);

    public static EpochCost Of(int epoch, double? cost) =>
        new(epoch, cost is { } c ? BitConverter.DoubleToInt64Bits(c) : long.MinValue);
}
