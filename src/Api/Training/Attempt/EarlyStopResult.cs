namespace BackpropService.Api.Training;

/// <summary>
/// What early stopping tells about a finished job: whether it ended the run, and the best epoch and its metric
/// (the job's result with restoreBest). Null for a job without early stopping.
/// </summary>
public sealed record EarlyStopResult(bool StoppedEarly, int? BestEpoch, double? BestMetric);
