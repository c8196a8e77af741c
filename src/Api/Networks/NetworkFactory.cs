using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;

namespace BackpropService.Api.Networks;

/// <summary>Turns a posted network into a validated engine <see cref="Network"/>, or into validation errors.</summary>
public static class NetworkFactory
{
    public static (Network? Network, string Kind) Build(CreateNetworkRequest request, LimitsOptions limits, ValidationErrors errors, string prefix = "")
    {
        var layered = request.Inputs is not null || request.Layers is not null || request.Loss is not null;
        SafeText.Check(request.Name, prefix + "name", limits.MaxNameLength, nameof(limits.MaxNameLength), errors);
        if (request.Graph is not null && layered)
        {
            errors.Add(prefix + "graph", "give either a graph or inputs/layers/loss, not both.");
            return (null, "");
        }
        if (request.Graph is null && !layered)
        {
            errors.Add(prefix + "layers", "a network needs either inputs/layers/loss (layered form) or a graph.");
            return (null, "");
        }

        try
        {
            if (request.Graph is { } graph)
            {
                var definition = NetworkRequestMapper.ToGraph(graph, limits, errors, prefix + "graph");
                return definition is null ? (null, "graph") : (Checked(Network.FromGraph(definition), limits, errors, prefix), "graph");
            }
            var layers = NetworkRequestMapper.ToLayers(request, limits, errors, prefix);
            return layers is null ? (null, "layers") : (Checked(Network.FromLayers(layers), limits, errors, prefix), "layers");
        }
        catch (GraphValidationException ex)
        {
            errors.Add(prefix + ex.Location, ex.Message);
            return (null, "");
        }
    }

    private static Network? Checked(Network network, LimitsOptions limits, ValidationErrors errors, string prefix)
    {
        if (network.ParameterCount > limits.MaxParameters)
        {
            errors.Add(prefix + "layers", $"the network has {network.ParameterCount} parameters; the limit is {limits.MaxParameters} (Limits:MaxParameters).");
            return null;
        }
        return network;
    }
}
