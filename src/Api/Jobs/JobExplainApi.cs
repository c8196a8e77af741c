using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Api.Reliability;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;
using BackpropService.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Jobs;

/// <summary>POST /api/jobs/{id}/explain: each input's share in an output, with the weights /predict uses.</summary>
public static class JobExplainApi
{
    public const int DefaultSteps = 64;

    private static readonly Dictionary<string, AttributionMethod> Methods = new()
    {
        ["gradient"] = AttributionMethod.Gradient,
        ["gradient_x_input"] = AttributionMethod.GradientXInput,
        ["integrated_gradients"] = AttributionMethod.IntegratedGradients,
    };

    public static async Task<Results<Ok<ExplainResponse>, ProblemHttpResult, ValidationProblem>> ExplainAsync(
        string id, ExplainRequest request, BackpropDbContext db, IOptions<LimitsOptions> limits, ComputeBudget budget, ComputeSlots slots,
        HttpContext context, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (inputs, method, steps) = Check(request, limits.Value, errors);
        if (inputs is null) return Problems.Validation(errors);

        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return Problems.NotFound("Job", id);
        var entity = await db.Networks.AsNoTracking().FirstAsync(n => n.Id == job.NetworkId, ct);
        var network = NetworkStore.Load(entity);

        var width = network.InputWidth ?? inputs[0].Length;
        for (var r = 0; r < inputs.Length; r++)
            if (inputs[r].Length != width)
                return Problems.Validation($"inputs[{r}]", $"has {inputs[r].Length} numbers; the network takes {width} inputs per row.");
        if (request.Baseline is { } baseline && baseline.Length != width)
            return Problems.Validation("baseline", $"has {baseline.Length} numbers; the network takes {width} inputs per row.");
        int outputs;
        try
        {
            outputs = Explainer.OutputWidth(network, width);
        }
        catch (GraphValidationException e)
        {
            // A graph that leaves its input width open meets the rows' width only here.
            return Problems.Validation("inputs", $"rows of {width} numbers do not fit the network: {e.Message}");
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(statusCode: 422, title: "Unprocessable Content",
                detail: $"This network's outputs cannot be explained row by row: {e.Message}");
        }
        if (request.Output is { } output && (output < 0 || output >= outputs))
            return Problems.Validation("output", $"must be an output column from 0 to {outputs - 1}; got {output}.");

        // Counted from shapes before the weights are decoded or a buffer is allocated: every point's activations and
        // as many gradients.
        var points = method == AttributionMethod.IntegratedGradients ? steps + 1 : 1;
        var numbers = 2 * EvaluationCost.PredictionNumbers(network, inputs.Length * points, width);
        if (numbers > limits.Value.MaxPredictNumbers)
            return Problems.Validation("inputs", $"{inputs.Length} rows × {points} points need {numbers} numbers of activations and gradients; " +
                $"the limit is {limits.Value.MaxPredictNumbers} (Limits:MaxPredictNumbers). Send fewer rows or steps per request.");
        if (budget.TrySpend(context, numbers) is { } tooMany) return tooMany;
        // Held until the response is written, as for /predict.
        context.Response.RegisterForDispose(await slots.EnterAsync(ct));
        var (_, weights) = await JobResultsApi.LoadWeightsAsync(db, id, ct);
        if (weights is null) return JobResultsApi.NoWeights(id);

        var explanation = new Explainer(network, weights.Value.Parameters).Explain(inputs, method, request.Output, request.Baseline, steps);
        return TypedResults.Ok(new ExplainResponse(
            explanation.Outputs.Select(Finite.OrNull).ToList(), explanation.Attributions.Select(Finite.OrNull).ToList(),
            Methods.First(m => m.Value == method).Key,
            request.Output ?? (Explainer.ExplainsPredictedClass(network) ? null : 0),
            explanation.ExplainedOutputs,
            method == AttributionMethod.IntegratedGradients ? steps : null));
    }

    /// <summary>The request's own checks (no job needed); null inputs when <paramref name="errors"/> holds why.</summary>
    private static (double[][]? Inputs, AttributionMethod Method, int Steps) Check(ExplainRequest request, LimitsOptions limits, ValidationErrors errors)
    {
        var max = limits.MaxPredictRows;
        var method = AttributionMethod.Gradient;
        if (request.Method is { } name && !Methods.TryGetValue(name, out method))
            errors.Add("method", $"'{name}' is not a method; use one of {string.Join(", ", Methods.Keys)}.");
        var steps = request.Steps ?? DefaultSteps;
        if (steps < 1 || steps > limits.MaxExplainSteps)
            errors.Add("steps", $"must be between 1 and {limits.MaxExplainSteps} (Limits:MaxExplainSteps); got {steps}.");
        if (request.Output is < 0) errors.Add("output", $"must be an output column, 0 or more; got {request.Output}.");
        Float32Check.Row(request.Baseline, "baseline", errors);

        if (request.Inputs is not { Length: > 0 } inputs)
            errors.Add("inputs", "must contain at least one row of numbers.");
        else if (inputs.Length > max)
            errors.Add("inputs", $"has {inputs.Length} rows; the limit is {max} (Limits:MaxPredictRows).");
        else if (Array.FindIndex(inputs, row => row is not { Length: > 0 }) is var empty and >= 0)
            errors.Add($"inputs[{empty}]", "must be a non-empty array of numbers.");
        else
            Float32Check.Rows(inputs, "inputs", errors);
        return (errors.Any ? null : request.Inputs, method, steps);
    }
}
