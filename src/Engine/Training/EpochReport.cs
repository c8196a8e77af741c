namespace BackpropService.Engine;

/// <summary>One completed epoch: the mean training cost of its forward passes, and the validation cost after its last update.</summary>
/// <remarks>A struct: a fast job reports a million epochs a second, and a heap object each would keep the garbage
/// collector pausing the whole service (request latency included) for nothing.</remarks>
public readonly record struct EpochReport(int Epoch, double Cost, double? ValidationCost);
