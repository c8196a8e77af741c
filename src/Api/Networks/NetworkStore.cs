using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;
using BackpropService.Persistence;
using NetworkEntity = BackpropService.Persistence.Entities.Network;

namespace BackpropService.Api.Networks;

/// <summary>Saves networks as their compiled graph definition and rebuilds engine networks from it.</summary>
public static class NetworkStore
{
    // NOTE: storage format, not the HTTP contract: plain web defaults, never the strict request options.
    private static readonly JsonSerializerOptions StorageJson = new(JsonSerializerDefaults.Web);

    public static NetworkEntity ToEntity(Network network, string kind, string? name) => new()
    {
        Id = Guid.CreateVersion7().ToString(),
        Name = string.IsNullOrWhiteSpace(name) ? "network" : name,
        Kind = kind,
        GraphJson = JsonSerializer.Serialize(network.Graph, StorageJson),
        Inputs = network.InputWidth,
        Outputs = network.OutputWidth,
        ParameterCount = network.ParameterCount,
        CreatedAt = DateTime.UtcNow,
    };

    public static Network Load(NetworkEntity entity) => Network.FromGraph(Definition(entity));

    /// <summary>The stored graph, parsed (not yet validated: <see cref="Network.FromGraph"/> does that).</summary>
    public static GraphDefinition Definition(NetworkEntity entity) =>
        JsonSerializer.Deserialize<GraphDefinition>(entity.GraphJson, StorageJson)
        ?? throw new InvalidOperationException($"Network {entity.Id} has no stored graph.");

    public static async Task<NetworkEntity?> FindAsync(BackpropDbContext db, string id, CancellationToken ct) =>
        await db.Networks.FindAsync([id], ct);

    public static NetworkResponse ToResponse(NetworkEntity entity, Network? network) => new(
        entity.Id, entity.Name, entity.Inputs, entity.Outputs, entity.ParameterCount,
        network is null ? null : ToGraphResponse(network), entity.CreatedAt);

    public static GraphResponse ToGraphResponse(Network network)
    {
        var graph = network.Graph;
        var nodes = graph.Nodes.Select(n => new GraphNodeResponse(
            n.Id, n.Op, n.Inputs,
            network.NodeShapes.TryGetValue(n.Id, out var shape) ? shape : n.Shape,
            n.Init,
            n.Value is null ? null : TensorJson.Write(n.Value),
            n.Exponent, n.Alpha)).ToList();
        var edges = network.Edges.Select(e => new GraphEdgeResponse(e.From, e.To)).ToList();
        return new GraphResponse(nodes, edges, graph.Output, graph.Loss);
    }
}
