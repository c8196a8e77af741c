namespace BackpropService.Engine;

/// <summary>
/// One completed epoch: the mean training cost of its forward passes, and the validation cost after its last update;
/// for a classification loss the fraction of training rows those forward passes got right, and of validation rows
/// after the last update (see <see cref="Training.AccuracyRule"/>); null otherwise. With recordGradientNorms, the
/// gradient norms of the epoch's last batch (null without).
/// </summary>
/// <remarks>A struct: a fast job reports a million epochs a second, and a heap object each would keep the garbage
/// collector pausing the whole service (request latency included) for nothing.</remarks>
public readonly record struct EpochReport(int Epoch, double Cost, double? ValidationCost, double? Accuracy = null, double? ValidationAccuracy = null,
    ParameterNorms? GradientNorms = null);
