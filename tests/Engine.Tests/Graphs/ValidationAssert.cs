using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Tests.Graphs;

internal static class ValidationAssert
{
    /// <summary>Asserts that <paramref name="action"/> throws a validation error at <paramref name="location"/> with exactly <paramref name="message"/>.</summary>
    public static void Fails(string location, string message, Action action)
    {
        var error = Assert.Throws<GraphValidationException>(action);
        Assert.Equal(message, error.Message);
        Assert.Equal(location, error.Location);
    }

    public static void GraphFails(string location, string message, params NodeDefinition[] nodes) =>
        Fails(location, message, () => Network.FromGraph(new GraphDefinition(nodes, nodes[^1].Id)));
}
