namespace BackpropService.Engine.Graphs;

/// <summary>A graph or network definition that cannot be built; <see cref="Location"/> names the node or layer at fault.</summary>
public sealed class GraphValidationException(string location, string message) : ArgumentException(message)
{
    /// <summary>A field path such as <c>graph.nodes[3]</c> or <c>layers[1].units</c>.</summary>
    public string Location { get; } = location;
}
