using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Api.Reliability;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.History;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Jobs;

/// <summary>What a job produced: its history, its weights, and predictions made with them.</summary>
public static class JobResultsApi
{
    public static async Task<Results<Ok<HistoryResponse>, ProblemHttpResult, ValidationProblem>> GetHistoryAsync(
        string id, int? after, int? limit, BackpropDbContext db, IOptions<LimitsOptions> limits, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var take = Problems.Limit(limit, limits.Value.MaxHistoryPage, limits.Value.MaxHistoryPage, errors);
        if (after is < 0) errors.Add("after", $"must be 0 or more; got {after}.");
        if (errors.Any) return Problems.Validation(errors);
        if (!await db.Jobs.AnyAsync(j => j.Id == id, ct)) return Problems.NotFound("Job", id);

        var from = after ?? 0;
        var entries = await HistoryStore.ReadAsync(db, id, from, take, ct);
        return TypedResults.Ok(new HistoryResponse(id, entries.ConvertAll(e => new HistoryPoint(e.Epoch, Finite.OrNull(e.Cost), Finite.OrNull(e.ValidationCost), e.Accuracy, e.ValidationAccuracy,
            GradientNormsView.Of(e.GradientNormNames, e.GradientNorms)))));
    }

    public static async Task<Results<Ok<WeightsResponse>, ProblemHttpResult>> GetWeightsAsync(string id, BackpropDbContext db, CancellationToken ct)
    {
        var (found, weights) = await LoadWeightsAsync(db, id, ct);
        if (!found) return Problems.NotFound("Job", id);
        if (weights is null) return NoWeights(id);
        return TypedResults.Ok(new WeightsResponse(id, weights.Value.Epoch,
            weights.Value.Parameters.Select(p => new ParameterResponse(p.Name, p.Value.Dimensions, Finite.OrNull(p.Value.Values))).ToList()));
    }

    public static async Task<Results<Ok<PredictResponse>, ProblemHttpResult, ValidationProblem>> PredictAsync(
        string id, PredictRequest request, BackpropDbContext db, IOptions<LimitsOptions> limits, ComputeBudget budget, ComputeSlots slots, HttpContext context,
        CancellationToken ct)
    {
        var max = limits.Value.MaxPredictRows;
        if (request.Inputs is not { Length: > 0 } inputs)
            return Problems.Validation("inputs", "must contain at least one row of numbers.");
        if (inputs.Length > max)
            return Problems.Validation("inputs", $"has {inputs.Length} rows; the limit is {max} (Limits:MaxPredictRows).");
        for (var r = 0; r < inputs.Length; r++)
            if (inputs[r] is not { Length: > 0 })
                return Problems.Validation($"inputs[{r}]", "must be a non-empty array of numbers.");
        var errors = new ValidationErrors();
        if (!Float32Check.Rows(inputs, "inputs", errors)) return Problems.Validation(errors);

        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return Problems.NotFound("Job", id);
        var entity = await db.Networks.AsNoTracking().FirstAsync(n => n.Id == job.NetworkId, ct);
        var network = NetworkStore.Load(entity);
        // Counted from shapes before the weights are decoded or a buffer is allocated.
        var numbers = PredictionNumbers(network, inputs);
        if (numbers > limits.Value.MaxPredictNumbers)
            return Problems.Validation("inputs", $"{inputs.Length} rows need {numbers} numbers of activations (rows × the numbers one row " +
                $"occupies across the network); the limit is {limits.Value.MaxPredictNumbers} (Limits:MaxPredictNumbers). Send fewer rows per request.");
        if (budget.TrySpend(context, numbers) is { } tooMany) return tooMany;
        // Held until the response is written, so the outputs count while they are serialised.
        context.Response.RegisterForDispose(await slots.EnterAsync(ct));
        var (_, weights) = await LoadWeightsAsync(db, id, ct);
        if (weights is null) return NoWeights(id);
        if (network.InputWidth is { } width && inputs.FirstOrDefault(row => row.Length != width) is { } bad)
            return Problems.Validation($"inputs[{Array.IndexOf(inputs, bad)}]", $"has {bad.Length} numbers; the network takes {width} inputs per row.");

        var outputs = new Predictor(network, weights.Value.Parameters).Predict(inputs);
        return TypedResults.Ok(new PredictResponse(outputs.Select(Finite.OrNull).ToList()));
    }

    /// <summary>A prediction's activations; 0 when the rows do not fit the network (the width check then answers).</summary>
    private static long PredictionNumbers(Network network, double[][] inputs)
    {
        var width = network.InputWidth ?? inputs[0].Length;
        try
        {
            return EvaluationCost.PredictionNumbers(network, inputs.Length, width);
        }
        catch (ArgumentException)
        {
            return 0;
        }
    }

    /// <summary>The latest weights of a job (the final ones, or those of the latest checkpoint).</summary>
    public static async Task<(bool JobExists, (int Epoch, List<NamedTensor> Parameters)? Weights)> LoadWeightsAsync(BackpropDbContext db, string id, CancellationToken ct)
    {
        var snapshot = await db.WeightSnapshots.AsNoTracking().FirstOrDefaultAsync(w => w.JobId == id, ct);
        if (snapshot is not null) return (true, (snapshot.Epoch, ParameterCodec.Decode(snapshot.Parameters)));
        return (await db.Jobs.AnyAsync(j => j.Id == id, ct), null);
    }

    public static ProblemHttpResult NoWeights(string id) =>
        Problems.Conflict($"Job '{id}' has no weights yet: they are stored at the first checkpoint and when training ends. Try again later.");
}
