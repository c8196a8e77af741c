using BackpropService.Engine.Graphs;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Training;

public class ParameterInitializerTests
{
    private static Tensor<double> Create(string? init, params int[] shape) =>
        ParameterInitializer.Create<double>(new NodeDefinition { Id = "w", Op = "parameter", Shape = shape, Init = init }, new Rng(8));

    [Theory]
    [InlineData("xavier")]  // U(±√(6 / (fanIn + fanOut)))
    [InlineData("he")]      // U(±√(6 / fanIn))
    [InlineData("uniform")] // U(±1 / √fanIn)
    public void DrawsStayInsideTheInitialisersLimitAndFillIt(string init)
    {
        var limit = init switch { "xavier" => Math.Sqrt(6.0 / 30), "he" => Math.Sqrt(6.0 / 10), _ => 1 / Math.Sqrt(10) };
        var values = Create(init, 10, 20).Data;
        Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, limit));
        Assert.True(values.Max(Math.Abs) > 0.9 * limit, "draws should reach close to the limit");
        Assert.Equal(Create(init, 10, 20).Data, values);
    }

    [Fact]
    public void ZerosAndDefaultVectorsAreZero()
    {
        Assert.All(Create("zeros", 3, 3).Data, v => Assert.Equal(0, v));
        Assert.All(Create(null, 4).Data, v => Assert.Equal(0, v));
        Assert.Contains(Create(null, 4, 4).Data, v => v != 0); // matrices default to xavier
    }

    [Fact]
    public void ExplicitValueWins() =>
        Assert.Equal([1.0, 2], ParameterInitializer.Create<double>(Nodes.Parameter("w", Nodes.Vector(1, 2)) with { Init = "he" }, new Rng(0)).Data);
}
