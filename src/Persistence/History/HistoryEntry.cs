namespace BackpropService.Persistence.History;

/// <summary>
/// One epoch of a job's history as stored: its cost (NaN where it was not a finite number) and its validation cost
/// (null when the job has no validation split; NaN where not finite), and for classification losses the training and
/// validation accuracies (null otherwise, and for epochs stored before accuracy was); with recordGradientNorms each
/// parameter's gradient norm, <see cref="GradientNorms"/>[i] of <see cref="GradientNormNames"/>[i] (both null otherwise).
/// </summary>
public readonly record struct HistoryEntry(int Epoch, double Cost, double? ValidationCost, double? Accuracy = null, double? ValidationAccuracy = null,
    IReadOnlyList<string>? GradientNormNames = null, double[]? GradientNorms = null);
