using BackpropService.Api.Datasets;
using BackpropService.Api.Graphs;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Api.Reliability;
using BackpropService.Engine;
using BackpropService.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Jobs;

/// <summary>A job's graph for drawing, or evaluated on one dataset row with the latest weights.</summary>
public static class JobGraphApi
{
    // ?row is the 0-based dataset row to evaluate on (omit it for the bare graph); ?unroll=true expands every tensor
    // op into scalar ops (needs a row; at most Limits:MaxUnrolledNodes nodes).
    public static async Task<Results<Ok<GraphResponse>, Ok<GraphEvaluationResponse>, ProblemHttpResult, ValidationProblem>> GetJobGraphAsync(
        string id, int? row, bool? unroll, BackpropDbContext db, IOptions<LimitsOptions> limits, ComputeBudget budget, ComputeSlots slots, HttpContext context,
        CancellationToken ct)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return Problems.NotFound("Job", id);
        var network = NetworkStore.Load(await db.Networks.AsNoTracking().FirstAsync(n => n.Id == job.NetworkId, ct));
        if (row is null)
        {
            if (unroll == true) return Problems.Validation("unroll", "needs ?row=N: an unrolled graph is drawn for one dataset row.");
            return TypedResults.Ok(NetworkStore.ToGraphResponse(network));
        }

        // Its sizes only: the rows themselves are read once the request is known to be affordable.
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == job.DatasetId)
            .Select(d => new { d.Rows, d.FeatureCount, d.TargetCount }).FirstAsync(ct);
        if (row < 0 || row >= dataset.Rows)
            return Problems.Validation("row", $"must be between 0 and {dataset.Rows - 1} (the dataset has {dataset.Rows} rows, counted from 0); got {row}.");
        // Counted from shapes before the weights are decoded: every element of every node is a value (and, unrolled, a node).
        var values = EvaluationCost.RowValues(network, dataset.FeatureCount, dataset.TargetCount);
        if (unroll == true && values > limits.Value.MaxUnrolledNodes)
            return Problems.Validation("unroll", $"The unrolled graph would have at least {values} nodes (one per element of every node); " +
                $"the limit is {limits.Value.MaxUnrolledNodes} (Limits:MaxUnrolledNodes). Use the tensor view (unroll=false) for a network this size.");
        if (values > limits.Value.MaxEvaluationValues)
            return Problems.Validation("row", GraphsApi.TooManyValues(values, limits.Value));
        if (budget.TrySpend(context, 2 * values) is { } tooMany) return tooMany;
        // Held until the response is written: the result's JSON is the larger part of its memory.
        context.Response.RegisterForDispose(await slots.EnterAsync(ct));
        var (_, weights) = await JobResultsApi.LoadWeightsAsync(db, id, ct);
        if (weights is null) return JobResultsApi.NoWeights(id);

        var (features, targets) = DatasetStore.Row(await db.Datasets.AsNoTracking().FirstAsync(d => d.Id == job.DatasetId, ct), row.Value);
        try
        {
            var evaluation = GraphEvaluator.EvaluateRow(network, weights.Value.Parameters, features, targets, unroll == true, limits.Value.MaxUnrolledNodes);
            return TypedResults.Ok(GraphEvaluationMapper.ToResponse(evaluation));
        }
        catch (ArgumentException ex) when (unroll == true)
        {
            return Problems.Validation("unroll", $"{ex.Message} (Limits:MaxUnrolledNodes = {limits.Value.MaxUnrolledNodes})");
        }
    }
}
