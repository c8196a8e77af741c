namespace BackpropService.Service.Benchmarks;

/// <summary>
/// When one training run started and finished, and the cost of its last epoch. For a service job these are its own
/// startedAt and finishedAt (GET /api/jobs/{id}), so neither HTTP nor polling delays count; for the bare engine, the
/// clock around TrainingSession.Start + Run.
/// </summary>
internal readonly record struct JobSpan(DateTimeOffset Started, DateTimeOffset Finished, double Cost)
{
    public double Milliseconds => (Finished - Started).TotalMilliseconds;

    /// <summary>Earliest start to latest finish: the wall time a set of concurrent runs took together.</summary>
    public static double Makespan(IReadOnlyCollection<JobSpan> spans) =>
        (spans.Max(s => s.Finished) - spans.Min(s => s.Started)).TotalMilliseconds;

    /// <summary>How much later the last of the runs started than the first (a scheduler that serialises them shows here).</summary>
    public static double StartGap(IReadOnlyCollection<JobSpan> spans) =>
        (spans.Max(s => s.Started) - spans.Min(s => s.Started)).TotalMilliseconds;
}
