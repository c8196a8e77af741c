using System.Threading.Channels;
using BackpropService.Api.Limits;
using BackpropService.Api.Reliability;
using BackpropService.Persistence;
using BackpropService.Persistence.Admission;
using BackpropService.Persistence.Dialects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Jobs.Admission;

/// <summary>
/// The admission writer (group commit): checked jobs from concurrent <c>POST /api/jobs</c> requests queue here and one
/// loop stores whatever has gathered as one transaction (one commit, one fsync, one read of the queue's counts),
/// then answers each request. Each admission is judged on its own, in arrival order: the queue limits count the
/// jobs admitted before it in the batch, a broken idempotency key or a deleted network fails only its own rows
/// (a savepoint each), and a request is answered only after its batch has committed. The transaction excludes
/// every other admission, on every replica (<see cref="IDatabaseDialect.BeginAdmissionAsync"/>), so the limits
/// hold exactly. Jobs get their <c>CreatedAt</c> here, in commit order, so a new job is last in the claim order
/// and its position is the count of what is ahead plus the batch's earlier jobs.
/// </summary>
public sealed class JobAdmissions(IDbContextFactory<BackpropDbContext> dbs, IDatabaseDialect dialect, IOptionsMonitor<LimitsOptions> limits,
    TrainingJobQueue queue, TimeProvider time, ILogger<JobAdmissions> log) : BackgroundService
{
    /// <summary>The most admissions one transaction stores; more wait for the next.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<JobAdmission> _pending = Channel.CreateUnbounded<JobAdmission>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<JobAdmission> _batch = [];
    private AdmissionStore? _store;
    private DateTime _lastCreatedAt;
    private volatile BatchHold? _hold;
    private int _waiting;

    /// <summary>Stores <paramref name="admission"/> with the next batch; completes once that batch has committed.</summary>
    public Task<AdmissionResult> AdmitAsync(JobAdmission admission)
    {
        var waiting = Interlocked.Increment(ref _waiting);
        if (!_pending.Writer.TryWrite(admission)) admission.Fail(new OperationCanceledException("The service is stopping."));
        _hold?.Arrived(waiting);
        return admission.Result;
    }

    /// <summary>
    /// Test seam: the writer waits until <paramref name="admissions"/> admissions are waiting, then stores them as one
    /// batch; <see cref="BatchHold.Stored"/> completes with that batch's size. Nothing over HTTP reaches it.
    /// </summary>
    public BatchHold HoldUntil(int admissions)
    {
        var hold = new BatchHold(admissions, () => _hold = null);
        _hold = hold;
        hold.Arrived(Volatile.Read(ref _waiting));
        return hold;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                var hold = _hold;
                if (hold is not null) await hold.Full.WaitAsync(stoppingToken);
                while (_batch.Count < MaxBatch && _pending.Reader.TryRead(out var admission)) _batch.Add(admission);
                Interlocked.Add(ref _waiting, -_batch.Count);
                await StoreBatchAsync(stoppingToken);
                hold?.Done(_batch.Count);
                _batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            _pending.Writer.TryComplete();
            while (_pending.Reader.TryRead(out var left)) left.Fail(new OperationCanceledException("The service is stopping."));
            if (_store is not null) await _store.DisposeAsync();
        }
    }

    private async Task StoreBatchAsync(CancellationToken ct)
    {
        AdmissionResult[] results;
        try
        {
            _store ??= await AdmissionStore.OpenAsync(dbs, dialect, ct);
            results = await RunAsync(_store, ct);
        }
        catch (Exception ex)
        {
            // The whole batch failed (a storage fault, the connection lost): every request gets the fault (503 by the
            // storage handler), and the next batch starts on a new connection.
            log.LogWarning(ex, "Storing a batch of {Count} job admissions failed", _batch.Count);
            foreach (var admission in _batch) admission.Fail(ex);
            if (_store is not null) await _store.DisposeAsync();
            _store = null;
            return;
        }
        // Committed: only now is any request told its job exists.
        if (results.Any(r => r.Verdict == AdmissionVerdict.Admitted)) queue.Nudge();
        for (var i = 0; i < _batch.Count; i++) _batch[i].Complete(results[i]);
    }

    private async Task<AdmissionResult[]> RunAsync(AdmissionStore store, CancellationToken ct)
    {
        var limit = limits.CurrentValue;
        var results = new AdmissionResult[_batch.Count];
        await store.BeginAsync(ct);
        try
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var admission in _batch) admission.Job.CreatedAt = NextCreatedAt(now);
            var first = _batch[0].Job;
            var totals = await store.TotalsAsync(now, first.CreatedAt, first.Id, ct);
            var places = totals.Places;
            var admitted = 0;
            Dictionary<string, int>? owners = null;
            for (var i = 0; i < _batch.Count; i++)
            {
                var admission = _batch[i];
                var mine = places;
                if (admission.OwnerScoped)
                {
                    owners ??= [];
                    if (!owners.TryGetValue(admission.Owner, out mine)) owners[admission.Owner] = mine = await store.PlacesAsync(admission.Owner, ct);
                }
                if (mine >= limit.MaxQueuedJobsPerOwner) { results[i] = new(AdmissionVerdict.QueueFull, Detail: QueueLimits.OwnerFull(mine)); continue; }
                if (places >= limit.MaxQueuedJobs) { results[i] = new(AdmissionVerdict.QueueFull, Detail: QueueLimits.QueueFull(places)); continue; }

                results[i] = await store.InsertAsync(admission.Rows, ct) switch
                {
                    InsertOutcome.Inserted => new(AdmissionVerdict.Admitted, totals.BoundedSweepsWait ? null : 1 + totals.Ahead + admitted),
                    InsertOutcome.DuplicateKey => new(AdmissionVerdict.DuplicateKey),
                    _ => new(AdmissionVerdict.MissingParts),
                };
                if (results[i].Verdict != AdmissionVerdict.Admitted) continue;
                admitted++;
                places++;
                if (admission.OwnerScoped) owners![admission.Owner]++;
            }
            await store.CommitAsync(ct);
            return results;
        }
        catch
        {
            await store.RollbackAsync();
            throw;
        }
    }

    // Strictly increasing, 1 µs apart (PostgreSQL keeps microseconds), so the batch's jobs are claimed in the order admitted.
    private DateTime NextCreatedAt(DateTime now)
    {
        var next = _lastCreatedAt.AddTicks(TimeSpan.TicksPerMicrosecond);
        _lastCreatedAt = now > next ? now : next;
        return _lastCreatedAt;
    }
}
