using System.Globalization;
using System.Text.Json;
using BackpropService.Client.Models;

namespace BackpropService.Client;

public sealed partial class BackpropClient
{
    /// <summary>
    /// Queues a sweep: one job per trial, all created or none. A 400 names the path of what is wrong
    /// (<c>grid.learningRate[2]</c>, <c>random.space.batchSize.choice[1]</c>, <c>base.epochs</c>). Carries an
    /// <c>Idempotency-Key</c> as <see cref="CreateJobAsync"/> does, so a retry never makes a second sweep.
    /// </summary>
    public Task<Sweep> CreateSweepAsync(SweepRequest request, string? idempotencyKey = null, CancellationToken ct = default) =>
        CreateSweepAsync<SweepRequest>(request, idempotencyKey, ct);

    /// <summary>Queues a sweep from its JSON text as it is (for example a file), leaving every check to the service.</summary>
    public Task<Sweep> CreateSweepAsync(JsonElement request, string? idempotencyKey = null, CancellationToken ct = default) =>
        CreateSweepAsync<JsonElement>(request, idempotencyKey, ct);

    private Task<Sweep> CreateSweepAsync<TBody>(TBody request, string? idempotencyKey, CancellationToken ct)
    {
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        return PostJsonAsync<Sweep, TBody>("/api/sweeps", request, ct, message => message.Headers.Add(IdempotencyKeyHeader, key));
    }

    /// <summary>The sweep with its trial counts (read afresh from its trials) and its best trial so far.</summary>
    public Task<Sweep> GetSweepAsync(string id, CancellationToken ct = default) =>
        GetAsync<Sweep>($"/api/sweeps/{Escape(id)}", ct);

    /// <summary>One page of sweeps, newest first.</summary>
    public Task<Page<Sweep>> ListSweepsAsync(int? limit = null, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<Page<Sweep>>("/api/sweeps" + Query(("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", cursor)), ct);

    /// <summary>
    /// One page of the leaderboard: ended trials with a value best first (ties by creation order), then ended trials
    /// without one, then the unfinished ones in creation order. The ranking moves as trials end, so a later page may
    /// repeat or skip a trial that moved meanwhile.
    /// </summary>
    public Task<Page<SweepTrial>> GetSweepTrialsAsync(string id, int? limit = null, string? cursor = null, CancellationToken ct = default) =>
        GetAsync<Page<SweepTrial>>($"/api/sweeps/{Escape(id)}/trials" + Query(("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", cursor)), ct);

    /// <summary>Cancels every unfinished trial (queued ones at once, running ones at their next step); a 409 once the sweep has ended.</summary>
    public Task<Sweep> CancelSweepAsync(string id, CancellationToken ct = default) =>
        SendAsync<Sweep>(HttpMethod.Post, $"/api/sweeps/{Escape(id)}/cancel", null, ct);
}
