using System.Globalization;
using System.Runtime.CompilerServices;
using BackpropService.Client.Http;
using BackpropService.Client.Models;

namespace BackpropService.Client;

public sealed partial class BackpropClient
{
    /// <summary>
    /// Queues a training job. Every submission carries an <c>Idempotency-Key</c> (a new GUID unless one is given),
    /// and retries send the same key, so a retried submission never makes a second job.
    /// </summary>
    public Task<Job> CreateJobAsync(JobRequest request, string? idempotencyKey = null, CancellationToken ct = default)
    {
        var key = idempotencyKey ?? Guid.NewGuid().ToString();
        return PostJsonAsync<Job, JobRequest>("/api/jobs", request, ct, message => message.Headers.Add(IdempotencyKeyHeader, key));
    }

    public Task<Job> GetJobAsync(string id, CancellationToken ct = default) =>
        GetAsync<Job>($"/api/jobs/{Escape(id)}", ct);

    /// <summary>One page of jobs, newest first, optionally only those in <paramref name="status"/>.</summary>
    public Task<Page<Job>> ListJobsAsync(JobStatus? status = null, int? limit = null, string? cursor = null, CancellationToken ct = default) =>
        ListJobsAsync(new JobListQuery { Status = status, Limit = limit, Cursor = cursor }, ct);

    /// <summary>One page of the jobs <paramref name="query"/> selects (status, tag, text in name or notes), newest first.</summary>
    public Task<Page<Job>> ListJobsAsync(JobListQuery query, CancellationToken ct = default) =>
        GetAsync<Page<Job>>("/api/jobs" + Query(
            ("status", query.Status?.ToString().ToLowerInvariant()), ("tag", query.Tag), ("q", query.Search),
            ("limit", query.Limit?.ToString(CultureInfo.InvariantCulture)), ("cursor", query.Cursor)), ct);

    /// <summary>
    /// Renames a run, sets its notes or its tags (any status). Only the members set in <paramref name="update"/> are
    /// sent; one set to null resets it. A 400 names the field (too long, blank, a repeated tag), a 404 when unknown.
    /// </summary>
    public Task<Job> UpdateJobAsync(string id, JobUpdate update, CancellationToken ct = default) =>
        SendAsync<Job>(HttpMethod.Patch, $"/api/jobs/{Escape(id)}", MergePatch.Body(update), ct);

    /// <summary>Cancels a queued or running job; a finished one is a 409.</summary>
    public Task<Job> CancelJobAsync(string id, CancellationToken ct = default) =>
        SendAsync<Job>(HttpMethod.Post, $"/api/jobs/{Escape(id)}/cancel", null, ct);

    /// <summary>One page of history: at most <paramref name="limit"/> epochs after epoch <paramref name="after"/>, in order.</summary>
    public Task<HistoryPage> GetHistoryPageAsync(string id, int after = 0, int? limit = null, CancellationToken ct = default) =>
        GetAsync<HistoryPage>($"/api/jobs/{Escape(id)}/history" + Query(("after", after.ToString(CultureInfo.InvariantCulture)), ("limit", limit?.ToString(CultureInfo.InvariantCulture))), ct);

    /// <summary>Every recorded epoch after <paramref name="after"/>, in order, page by page, as far as the history goes now.</summary>
    public IAsyncEnumerable<EpochPoint> GetHistoryAsync(string id, int after = 0, int? pageSize = null, CancellationToken ct = default) =>
        HistoryAsync(id, after, int.MaxValue, pageSize, ct);

    private async IAsyncEnumerable<EpochPoint> HistoryAsync(string id, int after, int through, int? pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        while (after < through)
        {
            var page = await GetHistoryPageAsync(id, after, pageSize, ct).ConfigureAwait(false);
            if (page.Points.Count == 0) yield break;
            foreach (var point in page.Points)
            {
                if (point.Epoch > through) yield break;
                yield return point;
                after = point.Epoch;
            }
        }
    }

    /// <summary>The latest stored weights; a 409 while the job has none yet.</summary>
    public Task<Weights> GetWeightsAsync(string id, CancellationToken ct = default) =>
        GetAsync<Weights>($"/api/jobs/{Escape(id)}/weights", ct);

    /// <summary>Runs the network forward on each row of <paramref name="inputs"/> with the latest stored weights.</summary>
    public async Task<IReadOnlyList<double?[]>> PredictAsync(string id, IEnumerable<double[]> inputs, CancellationToken ct = default)
    {
        var response = await PostJsonAsync<PredictResponse, PredictRequest>($"/api/jobs/{Escape(id)}/predict", new PredictRequest(inputs.ToArray()), ct).ConfigureAwait(false);
        return response.Outputs;
    }

    /// <summary>The job's computational graph (nodes, edges, shapes), for drawing.</summary>
    public Task<GraphShape> GetJobGraphAsync(string id, CancellationToken ct = default) =>
        GetAsync<GraphShape>($"/api/jobs/{Escape(id)}/graph", ct);

    /// <summary>
    /// The job's graph evaluated on dataset row <paramref name="row"/> (from 0) with the latest weights; with
    /// <paramref name="unroll"/> every tensor op expanded into scalar ops.
    /// </summary>
    public Task<GraphEvaluation> EvaluateJobGraphAsync(string id, int row, bool unroll = false, CancellationToken ct = default) =>
        GetAsync<GraphEvaluation>($"/api/jobs/{Escape(id)}/graph" + Query(("row", row.ToString(CultureInfo.InvariantCulture)), ("unroll", unroll ? "true" : null)), ct);

    private sealed record PredictRequest(double[][] Inputs);

    private sealed record PredictResponse(IReadOnlyList<double?[]> Outputs);
}
