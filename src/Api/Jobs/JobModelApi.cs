using System.Reflection;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Networks;
using BackpropService.Engine.Export;
using BackpropService.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Api.Jobs;

/// <summary>A job's trained network as a file other tools load: ONNX, with the weights /predict uses.</summary>
public static class JobModelApi
{
    private static readonly string ServiceVersion =
        typeof(JobModelApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetOnnxAsync(string id, BackpropDbContext db, CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return Problems.NotFound("Job", id);
        var entity = await db.Networks.AsNoTracking().FirstAsync(n => n.Id == job.NetworkId, ct);
        var network = NetworkStore.Load(entity);
        if (OnnxExport.Unmappable(network) is { } op)
            return TypedResults.Problem(statusCode: 422, title: "Unprocessable Content",
                detail: $"Node '{op.NodeId}' on the path to the output uses op '{op.Op}', which has no ONNX equivalent; " +
                        "only networks whose output path maps to ONNX ops export.");
        var (_, weights) = await JobResultsApi.LoadWeightsAsync(db, id, ct);
        if (weights is null) return JobResultsApi.NoWeights(id);
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == job.DatasetId)
            .Select(d => new { d.FeatureCount, d.TargetCount }).FirstAsync(ct);

        var metadata = new Dictionary<string, string>
        {
            ["jobId"] = id,
            ["epoch"] = weights.Value.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["serviceVersion"] = ServiceVersion,
        };
        var bytes = OnnxExport.Write(network, weights.Value.Parameters, dataset.FeatureCount, dataset.TargetCount, metadata, ServiceVersion);
        return TypedResults.File(bytes, "application/octet-stream", $"{entity.Name}.onnx");
    }
}
