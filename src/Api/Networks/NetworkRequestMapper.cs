using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Engine.Graphs;
using BackpropService.Engine;

namespace BackpropService.Api.Networks;

/// <summary>
/// Checks a posted network against the limits (before the engine allocates anything) and maps it onto the engine's
/// definitions. Field paths are prefixed (the prefix argument) so inline networks in a job report
/// <c>network.layers[0].units</c>.
/// </summary>
public static class NetworkRequestMapper
{
    public static LayeredNetworkDefinition? ToLayers(CreateNetworkRequest request, LimitsOptions limits, ValidationErrors errors, string prefix = "")
    {
        if (request.Inputs is not { } inputs || inputs < 1 || inputs > limits.MaxLayerWidth)
            errors.Add(prefix + "inputs", $"is required and must be between 1 and {limits.MaxLayerWidth} (Limits:MaxLayerWidth).");
        if (request.Layers is not { Count: > 0 } layers)
        {
            errors.Add(prefix + "layers", "must list at least one layer.");
            return null;
        }
        if (string.IsNullOrWhiteSpace(request.Loss))
            errors.Add(prefix + "loss", $"is required: {OneOf(OpCatalog.Losses)}.");

        long parameters = 0;
        long previous = request.Inputs ?? 0;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var path = $"{prefix}layers[{i}]";
            if (layer is null) { errors.Add(path, "must be an object."); continue; }
            if (layer.Units < 1 || layer.Units > limits.MaxLayerWidth)
                errors.Add(path + ".units", $"must be between 1 and {limits.MaxLayerWidth} (Limits:MaxLayerWidth); got {layer.Units}.");
            if (string.IsNullOrWhiteSpace(layer.Activation))
                errors.Add(path + ".activation", $"is required: {OneOf(OpCatalog.Activations)}.");
            Float32Check.Rows(layer.Weights, path + ".weights", errors);
            Float32Check.Row(layer.Bias, path + ".bias", errors);
            parameters += previous * layer.Units + layer.Units;
            previous = layer.Units;
        }
        if (parameters > limits.MaxParameters)
            errors.Add(prefix + "layers", $"the network has {parameters} parameters; the limit is {limits.MaxParameters} (Limits:MaxParameters).");
        // Counted as compiled (input, target, loss; per layer weights, bias, matmul, add and an activation unless
        // identity), so the layered form is held to the same node limit as the graph form.
        var nodes = 3L + layers.Sum(l => l?.Activation == "identity" ? 4L : 5L);
        if (nodes > limits.MaxGraphNodes)
            errors.Add(prefix + "layers", $"{layers.Count} layers compile to {nodes} graph nodes; the limit is {limits.MaxGraphNodes} (Limits:MaxGraphNodes).");
        if (errors.Any) return null;

        return new LayeredNetworkDefinition(
            request.Inputs!.Value,
            layers.Select(l => new LayerDefinition(l.Units, l.Activation!, l.Init, l.Weights, l.Bias)).ToList(),
            request.Loss!);
    }

    /// <summary>"a, b or c": the engine's own list, so a new activation or loss needs no edit here.</summary>
    private static string OneOf(IReadOnlyList<string> names) => $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";

    public static GraphDefinition? ToGraph(GraphRequest graph, LimitsOptions limits, ValidationErrors errors, string prefix = "graph")
    {
        if (graph.Nodes is not { Count: > 0 } nodes)
        {
            errors.Add(prefix + ".nodes", "must list at least one node.");
            return null;
        }
        if (nodes.Count > limits.MaxGraphNodes)
        {
            errors.Add(prefix + ".nodes", $"the graph has {nodes.Count} nodes; the limit is {limits.MaxGraphNodes} (Limits:MaxGraphNodes).");
            return null;
        }
        if (string.IsNullOrWhiteSpace(graph.Output))
            errors.Add(prefix + ".output", "must name the output node.");
        SafeText.Check(graph.Output, prefix + ".output", limits.MaxNodeIdLength, nameof(limits.MaxNodeIdLength), errors);
        SafeText.Check(graph.Loss, prefix + ".loss", limits.MaxNodeIdLength, nameof(limits.MaxNodeIdLength), errors);

        var result = new List<NodeDefinition>(nodes.Count);
        long parameters = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var path = $"{prefix}.nodes[{i}]";
            if (node is null) { errors.Add(path, "must be an object."); continue; }
            if (string.IsNullOrWhiteSpace(node.Id)) errors.Add(path + ".id", "is required.");
            else SafeText.Check(node.Id, path + ".id", limits.MaxNodeIdLength, nameof(limits.MaxNodeIdLength), errors);
            if (string.IsNullOrWhiteSpace(node.Op)) errors.Add(path + ".op", "is required.");
            if (node.Inputs is { } ins && ins.Any(string.IsNullOrWhiteSpace)) errors.Add(path + ".inputs", "must list node ids.");
            else if (node.Inputs is { } refs)
                for (var k = 0; k < refs.Count; k++)
                    if (!SafeText.Check(refs[k], $"{path}.inputs[{k}]", limits.MaxNodeIdLength, nameof(limits.MaxNodeIdLength), errors)) break;
            if (node.Shape is { } shape)
            {
                if (shape.Length > 2 || shape.Any(d => d < 1 || d > limits.MaxLayerWidth))
                    errors.Add(path + ".shape", $"must have at most 2 dimensions, each between 1 and {limits.MaxLayerWidth} (Limits:MaxLayerWidth).");
                else if (node.Op == "parameter")
                    parameters += shape.Aggregate(1L, (a, d) => a * d);
            }
            if (node.Exponent is { } e && !double.IsFinite(e)) errors.Add(path + ".exponent", "must be finite.");
            if (node.Alpha is { } a && !double.IsFinite(a)) errors.Add(path + ".alpha", "must be finite.");
            TensorData? value = null;
            if (node.Value is { } element)
            {
                value = TensorJson.Read(element, path + ".value", errors, float32: true);
                if (value is not null && node.Op == "parameter" && node.Shape is null)
                    parameters += value.Values.Length;
            }
            if (errors.Any) continue;
            result.Add(new NodeDefinition
            {
                Id = node.Id!,
                Op = node.Op!,
                Inputs = node.Inputs ?? [],
                Shape = node.Shape,
                Init = node.Init,
                Value = value,
                Exponent = node.Exponent,
                Alpha = node.Alpha,
            });
        }
        if (parameters > limits.MaxParameters)
            errors.Add(prefix + ".nodes", $"the graph has {parameters} parameters; the limit is {limits.MaxParameters} (Limits:MaxParameters).");
        return errors.Any ? null : new GraphDefinition(result, graph.Output!, graph.Loss);
    }
}
