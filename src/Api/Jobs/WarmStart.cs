using BackpropService.Api.Infrastructure;
using BackpropService.Api.Networks;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Jobs;

/// <summary>
/// <c>initialWeights: { fromJob }</c> at admission: finds the source job's stored weights (the ones /predict uses),
/// checks them against the new job's network by name and shape, and copies them to the new job
/// (<see cref="InitialWeights"/>), so the job no longer depends on the source once queued.
/// </summary>
public static class WarmStart
{
    /// <summary>
    /// Adds the copy to the context (saved with the job). A missing or foreign source is a 404 and a source without
    /// weights a 409 (returned); a missing id or a mismatch is a 400 (added to <paramref name="errors"/>).
    /// </summary>
    public static async Task<ProblemHttpResult?> CaptureAsync(InitialWeightsSource source, TrainingJob job, BackpropDbContext db, ValidationErrors errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(source.FromJob))
        {
            errors.Add("initialWeights.fromJob", "is required: the id of a job of yours whose weights to start from.");
            return null;
        }
        var from = source.FromJob;
        // The owner filter hides another owner's job and its weights alike: that is a 404, as for every foreign id.
        var snapshot = await db.WeightSnapshots.AsNoTracking().FirstOrDefaultAsync(w => w.JobId == from, ct);
        if (snapshot is null)
        {
            return await db.Jobs.AnyAsync(j => j.Id == from, ct)
                ? Problems.Conflict($"initialWeights.fromJob: job '{from}' has no weights yet (they are stored at its first checkpoint and when it ends). Wait for it, or start without initialWeights.")
                : TypedResults.Problem(statusCode: 404, title: "Not Found", detail: $"initialWeights.fromJob: job '{from}' does not exist.");
        }

        var network = NetworkStore.Load((await db.Networks.FindAsync([job.NetworkId], ct))!);
        if (Mismatch(network.Parameters, ParameterCodec.Decode(snapshot.Parameters), from) is { } mismatch)
        {
            errors.Add("initialWeights", mismatch);
            return null;
        }
        job.InitialWeightsFromJob = from;
        db.InitialWeights.Add(new InitialWeights { JobId = job.Id, Parameters = snapshot.Parameters });
        return null;
    }

    /// <summary>The first parameter (in this network's order, then the source's extras) whose name or shape differs; null when all match.</summary>
    private static string? Mismatch(IReadOnlyList<ParameterInfo> wanted, IReadOnlyList<NamedTensor> given, string from)
    {
        var byName = given.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var parameter in wanted)
        {
            if (!byName.TryGetValue(parameter.Name, out var value))
                return $"parameter \"{parameter.Name}\" of this network is not in job {from} (it has {Names(given)}).";
            if (!value.Value.Dimensions.SequenceEqual(parameter.Dimensions))
                return $"parameter \"{parameter.Name}\" has shape {Shape(value.Value.Dimensions)} in job {from} but {Shape(parameter.Dimensions)} here.";
        }
        var names = wanted.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return given.FirstOrDefault(p => !names.Contains(p.Name)) is { } extra
            ? $"job {from} has parameter \"{extra.Name}\", which this network does not (it has {Names(wanted.Select(p => p.Name))})."
            : null;
    }

    private static string Shape(int[] dimensions) => $"[{string.Join(',', dimensions)}]";

    private static string Names(IEnumerable<NamedTensor> parameters) => Names(parameters.Select(p => p.Name));

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}
