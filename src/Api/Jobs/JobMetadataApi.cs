using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace BackpropService.Api.Jobs;

/// <summary>
/// <c>PATCH /api/jobs/{id}</c>: rename a run, note it, tag it. Merge semantics (RFC 7396): a member left out stays,
/// null resets it. Any job, in any status: the metadata is the user's, never the worker's.
/// </summary>
public static class JobMetadataApi
{
    public static RouteHandlerBuilder MapPatchJob(this RouteGroupBuilder group) =>
        group.MapPatch("/{id}", PatchJobAsync).WithName("PatchJob")
            .WithSummary("Rename a run, set its notes or tags (JSON merge patch: omitted members stay, null resets)")
            .Accepts<JobMetadataPatch>("application/json", "application/merge-patch+json");

    // Reads the body itself: merge semantics need to tell a member set to null from one left out. (A plain comment:
    // Swagger would show XML documentation here as the summary.)
    public static async Task<Results<Ok<JobResponse>, ValidationProblem, ProblemHttpResult>> PatchJobAsync(
        string id, HttpRequest request, BackpropDbContext db, IOptions<LimitsOptions> limits, IOptions<JsonOptions> json,
        TimeProvider time, CancellationToken ct)
    {
        if (!IsJson(request.ContentType))
            return TypedResults.Problem(statusCode: 415, title: "Unsupported Media Type",
                detail: $"Send the changes as application/json or application/merge-patch+json; got '{request.ContentType ?? "no content type"}'.");
        var (patch, present) = await ReadAsync(request, json.Value.SerializerOptions, ct);

        var errors = new ValidationErrors();
        var limit = limits.Value;
        SafeText.Check(patch.Name, "name", limit.MaxNameLength, nameof(LimitsOptions.MaxNameLength), errors);
        if (patch.Name is { } name && string.IsNullOrWhiteSpace(name)) errors.Add("name", "must not be empty; send null to go back to the network's name.");
        SafeText.Check(patch.Notes, "notes", limit.MaxNotesLength, nameof(LimitsOptions.MaxNotesLength), errors);
        var tags = patch.Tags ?? [];
        if (tags.Length > limit.MaxTagsPerJob)
            errors.Add("tags", $"must hold at most {limit.MaxTagsPerJob} tags (Limits:{nameof(LimitsOptions.MaxTagsPerJob)}); got {tags.Length}.");
        for (var i = 0; i < tags.Length; i++)
            if (!TagIsValid(tags, i, limit, errors)) break;
        if (errors.Any) return Problems.Validation(errors);

        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return Problems.NotFound("Job", id);
        if (present.Contains("name"))
            job.Name = patch.Name ?? await db.Networks.Where(n => n.Id == job.NetworkId).Select(n => n.Name).FirstOrDefaultAsync(ct);
        if (present.Contains("notes")) job.Notes = patch.Notes;
        if (present.Contains("tags")) job.Tags = JobTags.Join(tags);
        // NOTE: only these columns are written, so a PATCH never overwrites the worker's progress or status.
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(JobMapper.ToResponse(job, await QueuePositions.OfAsync(db, job, time.GetUtcNow().UtcDateTime, ct)));
    }

    private static bool TagIsValid(string[] tags, int i, LimitsOptions limit, ValidationErrors errors)
    {
        var field = $"tags[{i}]";
        if (string.IsNullOrWhiteSpace(tags[i])) errors.Add(field, "must not be empty.");
        else if (!SafeText.Check(tags[i], field, limit.MaxTagLength, nameof(LimitsOptions.MaxTagLength), errors)) return false;
        else if (Array.IndexOf(tags, tags[i]) < i) errors.Add(field, $"repeats the tag '{tags[i]}'.");
        else return true;
        return false;
    }

    private static async Task<(JobMetadataPatch Patch, HashSet<string> Present)> ReadAsync(HttpRequest request, JsonSerializerOptions options, CancellationToken ct)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = options.MaxDepth }, ct);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new JsonException("The request body must be a JSON object with any of name, notes, tags.");
            var patch = document.RootElement.Deserialize<JobMetadataPatch>(options)!;
            var present = document.RootElement.EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToHashSet();
            return (patch, present);
        }
        catch (JsonException ex)
        {
            // Same shape as the framework's own binding failure, so the exception handler words it the same way.
            throw new BadHttpRequestException("Failed to read the job's changes from the request body as JSON.", ex);
        }
    }

    private static bool IsJson(string? contentType)
    {
        var media = contentType?.Split(';')[0].Trim();
        return media is not null && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                                     || media.Equals("application/merge-patch+json", StringComparison.OrdinalIgnoreCase));
    }
}
