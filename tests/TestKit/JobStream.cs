namespace BackpropService.TestKit;

/// <summary>What one <see cref="StreamWatcher"/> received about one job, in arrival order.</summary>
public sealed class JobStream
{
    private readonly Lock _lock = new();
    private readonly List<EpochCost> _points = [];
    private readonly List<string> _statuses = [];
    private readonly TaskCompletionSource<string> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The job's <c>epochsCompleted</c> (k) when Subscribe returned: the stream starts at k+1.</summary>
    public int SubscribedAt { get; internal set; }

    /// <summary>The job's status when Subscribe returned.</summary>
    public string SubscribedStatus { get; internal set; } = "";

    /// <summary>Completes with the first final status (succeeded, failed, cancelled) received.</summary>
    public Task<string> Finished => _finished.Task;

    public IReadOnlyList<EpochCost> Points
    {
        get { lock (_lock) return _points.ToList(); }
    }

    public IReadOnlyList<string> Statuses
    {
        get { lock (_lock) return _statuses.ToList(); }
    }

    public void AddPoint(EpochCost point)
    {
        lock (_lock) _points.Add(point);
    }

    public void AddStatus(string status)
    {
        lock (_lock) _statuses.Add(status);
        if (status is "succeeded" or "failed" or "cancelled") _finished.TrySetResult(status);
    }
}
