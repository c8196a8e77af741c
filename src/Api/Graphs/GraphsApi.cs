using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Api.Reliability;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Graphs;

public static class GraphsApi
{
    public static RouteGroupBuilder MapGraphsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/graphs").WithTags("Graphs");
        group.MapPost("/evaluate", EvaluateAsync).WithName("EvaluateGraph")
            .WithSummary("The chain rule on demand: value, gradients by reverse-mode autodiff, and every edge's local derivative");
        return group;
    }

    public static async Task<Results<Ok<GraphEvaluationResponse>, ValidationProblem, ProblemHttpResult>> EvaluateAsync(EvaluateGraphRequest request,
        IOptions<LimitsOptions> limits, ComputeBudget budget, ComputeSlots slots, HttpContext context)
    {
        var errors = new ValidationErrors();
        if (request.Graph is null)
            return Problems.Validation("graph", "is required: { \"nodes\": [...], \"output\": \"id\" }.");
        var definition = NetworkRequestMapper.ToGraph(request.Graph, limits.Value, errors);
        var leaves = ReadTensors(request.Inputs, "inputs", limits.Value, errors);
        var parameters = ReadTensors(request.Parameters, "parameters", limits.Value, errors, float32: true);
        if (definition is not null) UnknownParameters(definition, parameters.Keys, errors);
        if (definition is null || errors.Any) return Problems.Validation(errors);

        try
        {
            var network = Network.FromGraph(definition);
            var values = EvaluationCost.Values(network, leaves);
            if (values > limits.Value.MaxEvaluationValues)
                return Problems.Validation("graph", TooManyValues(values, limits.Value));
            if (budget.TrySpend(context, 2 * values) is { } tooMany) return tooMany;
            // Held until the response is written: the result's JSON is the larger part of its memory.
            context.Response.RegisterForDispose(await slots.EnterAsync(context.RequestAborted));
            var named = parameters.Count == 0 ? null : parameters.Select(p => new NamedTensor(p.Key, p.Value)).ToList();
            var evaluation = GraphEvaluator.Evaluate(network, leaves, named, request.Root ?? definition.Output);
            return TypedResults.Ok(GraphEvaluationMapper.ToResponse(evaluation));
        }
        catch (GraphValidationException ex)
        {
            return Problems.Validation(ex.Location, ex.Message);
        }
    }

    /// <summary>The message for an evaluation over Limits:MaxEvaluationValues (also used by a job's graph on a row).</summary>
    public static string TooManyValues(long values, LimitsOptions limits) =>
        $"evaluating it computes {values} values (one per element of every node, each with a gradient); the limit is " +
        $"{limits.MaxEvaluationValues} (Limits:MaxEvaluationValues). Use smaller shapes.";

    /// <summary>A value for an id that is not a parameter node would be silently ignored: a typo the client never sees.</summary>
    private static void UnknownParameters(GraphDefinition definition, IEnumerable<string> ids, ValidationErrors errors)
    {
        var known = definition.Nodes.Where(n => n.Op == "parameter").Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in ids.Where(id => !known.Contains(id)))
            errors.Add($"parameters.{id}", known.Count == 0
                ? $"'{id}' is not a parameter node: the graph has no parameter nodes."
                : $"'{id}' is not a parameter node of the graph; its parameters are: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
    }

    private static Dictionary<string, TensorData> ReadTensors(Dictionary<string, System.Text.Json.JsonElement>? values, string field, LimitsOptions limits, ValidationErrors errors, bool float32 = false)
    {
        var result = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        if (values is null) return result;
        long numbers = 0;
        foreach (var (id, element) in values)
        {
            if (TensorJson.Read(element, $"{field}.{id}", errors, float32) is { } tensor)
            {
                result[id] = tensor;
                numbers += tensor.Values.Length;
            }
        }
        if (numbers > limits.MaxDatasetNumbers)
            errors.Add(field, $"holds {numbers} numbers; the limit is {limits.MaxDatasetNumbers} (Limits:MaxDatasetNumbers).");
        return result;
    }
}
