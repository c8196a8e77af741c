namespace BackpropService.Api.Tests.Architecture;

/// <summary>
/// The Api's folders form a layering: no folder uses, directly or through others, a folder that uses it
/// (<see cref="FolderGraph"/> reads the compiled assembly, method bodies included).
/// </summary>
public sealed class FolderDependencyTests
{
    private static readonly FolderGraph Graph = FolderGraph.Of(typeof(Program).Assembly);

    [Fact]
    public void TheApiFoldersDependOnEachOtherWithoutCycles()
    {
        var cycle = Graph.FindCycle();
        Assert.True(cycle is null, cycle is null ? "" :
            $"Folder cycle {string.Join(" → ", cycle)}:\n" +
            string.Join("\n", cycle.Zip(cycle.Skip(1)).Select(edge => $"  {edge.First} → {edge.Second}: {Graph.Edges[edge]}")));
    }

    [Fact]
    public void TheGraphSeesUsesInSignaturesAndInsideMethodBodies()
    {
        // A constructor parameter (JobStreamGate takes the ScaleOut lock) and a call inside a method body only
        // (JobsApi.CreateJobAsync asks Reliability's QueueLimits): both must be seen, or an acyclic result means nothing.
        Assert.Contains(("Training", "ScaleOut"), Graph.Edges.Keys);
        Assert.Contains(("Jobs", "Reliability"), Graph.Edges.Keys);
        Assert.Contains(("Training", "Jobs"), Graph.Edges.Keys);
    }
}
