namespace BackpropService.Engine.Tests.Training;

/// <summary>A session started from given parameters trains on from them, deterministically; mismatched ones are refused.</summary>
public class WarmStartTests
{
    private static TrainingSettings Settings(int epochs, ulong seed = 3) => new() { Epochs = epochs, LearningRate = 0.5, Seed = seed };

    [Fact]
    public void StartingFromAnotherRunsParametersContinuesThatRunAndRepeatsBitForBit()
    {
        var network = XorNetwork.Create();
        var source = TrainingSession.Start(network, XorNetwork.Data(), Settings(200));
        source.Run(_ => { }, CancellationToken.None);
        var longer = TrainingSession.Start(network, XorNetwork.Data(), Settings(300));
        var longerCosts = new List<double>();
        longer.Run(r => longerCosts.Add(r.Cost), CancellationToken.None);

        // A different seed changes nothing here (full batch, no split): only the given values count.
        var warm = TrainingSession.Start(network, XorNetwork.Data(), Settings(100, seed: 99), source.Parameters());
        var warmCosts = new List<double>();
        warm.Run(r => warmCosts.Add(r.Cost), CancellationToken.None);
        var again = TrainingSession.Start(network, XorNetwork.Data(), Settings(100, seed: 99), source.Parameters());
        var againCosts = new List<double>();
        again.Run(r => againCosts.Add(r.Cost), CancellationToken.None);

        Assert.Equal(longerCosts.Skip(200), warmCosts);
        Assert.Equal(warmCosts, againCosts);
        Assert.Equal(Values(longer), Values(warm));
    }

    [Fact]
    public void ParametersOfAnotherShapeAreRefusedNamingTheParameter()
    {
        var wider = Network.FromLayers(new(2, [new(3, "sigmoid"), new(1, "sigmoid")], "binary_cross_entropy"));
        var source = TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), Settings(1));

        var error = Assert.Throws<ArgumentException>(() => TrainingSession.Start(wider, XorNetwork.Data(), Settings(1), source.Parameters()));
        Assert.Contains("layers.0.weights", error.Message);
    }

    private static double[][] Values(TrainingSession session) => session.Parameters().Select(p => p.Value.Values).ToArray();
}
