using System.Runtime.InteropServices;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Datasets;

/// <summary>A dataset's first rows as numbers (the page draws them under a decision boundary), at most Limits:MaxPredictRows at once.</summary>
public static class DatasetRowsApi
{
    public static RouteHandlerBuilder MapDatasetRows(this RouteGroupBuilder group) =>
        group.MapGet("/{id}/rows", GetRowsAsync).WithName("GetDatasetRows")
            .WithSummary("A dataset's first rows: features and targets as stored (float32), at most ?limit= of them");

    public static async Task<Results<Ok<DatasetRowsResponse>, ValidationProblem, ProblemHttpResult>> GetRowsAsync(
        string id, int? limit, BackpropDbContext db, IOptions<LimitsOptions> limits, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var take = Problems.Limit(limit, 1000, limits.Value.MaxPredictRows, errors);
        if (errors.Any) return Problems.Validation(errors);
        var dataset = await db.Datasets.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null) return Problems.NotFound("Dataset", id);

        var count = Math.Min(take, dataset.Rows);
        var features = MemoryMarshal.Cast<byte, float>(dataset.Features);
        var targets = MemoryMarshal.Cast<byte, float>(dataset.Targets);
        var featureRows = new double[count][];
        var targetRows = new double[count][];
        for (var r = 0; r < count; r++)
        {
            featureRows[r] = Widen(features.Slice(r * dataset.FeatureCount, dataset.FeatureCount));
            targetRows[r] = Widen(targets.Slice(r * dataset.TargetCount, dataset.TargetCount));
        }
        return TypedResults.Ok(new DatasetRowsResponse(dataset.Id, dataset.Rows, featureRows, targetRows));
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var wide = new double[values.Length];
        for (var i = 0; i < values.Length; i++) wide[i] = values[i];
        return wide;
    }
}
