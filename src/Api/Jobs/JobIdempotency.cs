using System.Security.Cryptography;
using System.Text.Json;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Jobs;

/// <summary>
/// <c>Idempotency-Key</c> on <c>POST /api/jobs</c>: the first request with a key creates the job and stores the key
/// with a hash of the request; a retry with the same key and the same request gets that job back (202, same id,
/// <c>Idempotent-Replayed: true</c>); the same key with a different request is a 422. Keys are per owner, kept
/// with the job (so a retry after a restart is recognised too), and unique in the database, so two concurrent
/// requests with one key still make one job.
/// </summary>
public sealed class JobIdempotency
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    private JobIdempotency(string? key, string? hash, ProblemHttpResult? problem) => (Key, Hash, Problem) = (key, hash, problem);

    public string? Key { get; }
    public string? Hash { get; }

    /// <summary>A 400 when the header is present but unusable.</summary>
    /// <remarks>POST /api/sweeps reads the header the same way and keeps the key with the sweep.</remarks>
    public ProblemHttpResult? Problem { get; }

    public static JobIdempotency Read<TRequest>(HttpRequest http, TRequest request)
    {
        var values = http.Headers[HeaderName];
        if (values.Count == 0) return new JobIdempotency(null, null, null);
        var key = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
            return new JobIdempotency(null, null, TypedResults.Problem(statusCode: 400, title: "Bad Request",
                detail: $"The {HeaderName} header must be one value of 1 to {MaxKeyLength} visible ASCII characters (a UUID is a good choice)."));
        // NOTE: the hash is of the request as bound, so whitespace and member order do not make a retry "different".
        var hash = Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));
        return new JobIdempotency(key, hash, null);
    }

    public void Stamp(TrainingJob job) => (job.IdempotencyKey, job.RequestHash) = (Key, Hash);

    /// <summary>The job an earlier request with this key created (202 again), a 422 if that request differed, or null.</summary>
    public async Task<Results<Accepted<JobResponse>, ValidationProblem, ProblemHttpResult>?> FindAsync(BackpropDbContext db, HttpResponse response, CancellationToken ct)
    {
        if (Key is null) return null;
        // The owner filter of the request's context scopes the key to the caller's owner.
        var earlier = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.IdempotencyKey == Key, ct);
        if (earlier is null) return null;
        if (earlier.RequestHash != Hash)
            return TypedResults.Problem(statusCode: 422, title: "Unprocessable Content",
                detail: $"The {HeaderName} '{Key}' was already used for a different request (job '{earlier.Id}'); use a new key for a new job.");
        response.Headers[ReplayedHeaderName] = "true";
        return TypedResults.Accepted($"/api/jobs/{earlier.Id}", JobMapper.ToResponse(earlier));
    }
}
