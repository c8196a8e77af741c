namespace BackpropService.Api.Lifecycle;

/// <summary>Retention settings, bound from the "Retention" configuration section.</summary>
public sealed class RetentionOptions
{
    /// <summary>
    /// Finished jobs (succeeded, failed, cancelled) whose <c>finishedAt</c> is older than this many days are deleted
    /// with their history, checkpoints and weights. Null or 0: off (the default), nothing is ever deleted by age.
    /// </summary>
    public double? FinishedJobsDays { get; set; }

    /// <summary>How often the sweep looks for such jobs. Default: hourly.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Jobs deleted per transaction, so a large backlog never holds the database's write lock for long.</summary>
    public int BatchSize { get; set; } = 500;

    public bool Enabled => FinishedJobsDays is > 0;
}
