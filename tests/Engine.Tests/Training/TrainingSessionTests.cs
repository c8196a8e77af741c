namespace BackpropService.Engine.Tests.Training;

public class TrainingSessionTests
{
    private static TrainingSettings Settings(ulong seed, int epochs = 10_000) => new()
    {
        Epochs = epochs, LearningRate = 0.5, Seed = seed,
    };

    [Fact]
    public void XorTrainsToAllFourPredictionsOnTheRightSideForMostSeeds()
    {
        var solved = 0;
        for (ulong seed = 1; seed <= 50; seed++)
        {
            var network = XorNetwork.Create();
            var session = TrainingSession.Start(network, XorNetwork.Data(), Settings(seed));
            Assert.Equal(TrainingOutcome.Completed, session.Run(_ => { }, CancellationToken.None));
            var outputs = new Predictor(network, session.Parameters()).Predict(XorNetwork.Features);
            if (outputs.Select((o, i) => o[0] > 0.5 == XorNetwork.Targets[i] > 0.5).All(ok => ok)) solved++;
        }
        // Measured: 38/50 seeds (76 %) with plain SGD at learning rate 0.5; the rest sit in the 2-2-1 net's known local minima.
        Assert.True(solved >= 35, $"XOR solved for {solved}/50 seeds in 10,000 epochs");
    }
}
