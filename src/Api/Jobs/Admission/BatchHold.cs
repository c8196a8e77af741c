namespace BackpropService.Api.Jobs.Admission;

/// <summary>
/// Test seam of <see cref="JobAdmissions.HoldUntil"/>: keeps the writer from starting a batch until enough admissions
/// wait, so a test puts several requests in one transaction without racing the writer. Dispose to let it go.
/// </summary>
public sealed class BatchHold : IDisposable
{
    private readonly int _admissions;
    private readonly Action _disarm;
    private readonly TaskCompletionSource _full = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _stored = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal BatchHold(int admissions, Action disarm) => (_admissions, _disarm) = (admissions, disarm);

    internal Task Full => _full.Task;

    /// <summary>The size of the first batch stored after the hold filled.</summary>
    public Task<int> Stored => _stored.Task;

    internal void Arrived(int waiting)
    {
        if (waiting >= _admissions) _full.TrySetResult();
    }

    internal void Done(int batchSize)
    {
        _disarm();
        _stored.TrySetResult(batchSize);
    }

    public void Dispose()
    {
        _disarm();
        _full.TrySetResult();
    }
}
