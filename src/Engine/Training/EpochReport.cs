namespace BackpropService.Engine;

/// <summary>One completed epoch: the mean training cost of its forward passes, and the validation cost after its last update.</summary>
public sealed record EpochReport(int Epoch, double Cost, double? ValidationCost);
