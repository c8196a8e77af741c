namespace BackpropService.Engine.Tests.Training;

public class LearningRatesTests
{
    private static double[] Rates(TrainingSettings settings) =>
        Enumerable.Range(1, settings.Epochs).Select(e => LearningRates.At(settings, e)).ToArray();

    private static TrainingSettings With(LearningRateSchedule schedule, int epochs, double rate = 1) =>
        new() { Epochs = epochs, LearningRate = rate, LearningRateSchedule = schedule };

    private static void AssertRates(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-15 * Math.Abs(expected[i]), $"epoch {i + 1}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    // Hand-computed, every epoch of a short run.
    [Fact]
    public void StepHalvesEveryStepSizeEpochs() =>
        AssertRates([1, 1, 1, 0.5, 0.5, 0.5, 0.25], Rates(With(new() { Type = "step", StepSize = 3, Gamma = 0.5 }, 7)));

    [Fact]
    public void ExponentialMultipliesEveryEpoch() =>
        AssertRates([0.8, 0.4, 0.2, 0.1, 0.05], Rates(With(new() { Type = "exponential", Gamma = 0.5 }, 5, 0.8)));

    [Fact]
    public void CosineFallsFromTheRateTowardTheMinimumOverTheEpochs() =>
        // (1 + cos(π·(e−1)/4))/2 for e = 1..4: 1, (1 + √½)/2, ½, (1 − √½)/2.
        AssertRates([1, (1 + Math.Sqrt(0.5)) / 2, 0.5, (1 - Math.Sqrt(0.5)) / 2], Rates(With(new() { Type = "cosine" }, 4)));

    [Fact]
    public void WarmupRampsLinearlyThenTheScheduleStartsOnItsOwnCounter()
    {
        // Cosine from 1 to 0.2 over T = 6 − 2 = 4 epochs after 2 warm-up epochs (0.5, 1).
        AssertRates([0.5, 1, 1, 0.2 + 0.8 * (1 + Math.Sqrt(0.5)) / 2, 0.6, 0.2 + 0.8 * (1 - Math.Sqrt(0.5)) / 2],
            Rates(With(new() { Type = "cosine", MinLearningRate = 0.2, WarmupEpochs = 2 }, 6)));
        AssertRates([0.5, 1, 1, 1, 0.1, 0.1], Rates(With(new() { Type = "step", StepSize = 2, Gamma = 0.1, WarmupEpochs = 2 }, 6)));
        AssertRates([0.25, 0.5, 0.75, 1, 1, 0.5], Rates(With(new() { Type = "exponential", Gamma = 0.5, WarmupEpochs = 4 }, 6)));
    }

    [Fact]
    public void WithoutAScheduleTheRateIsConstantAndCurrentIsNullBeforeTheFirstEpoch()
    {
        var settings = new TrainingSettings { Epochs = 3, LearningRate = 0.3 };
        AssertRates([0.3, 0.3, 0.3], Rates(settings));
        Assert.Null(LearningRates.Current(settings, 0));
        Assert.Equal(0.25, LearningRates.Current(With(new() { Type = "exponential", Gamma = 0.5 }, 5), 3));
    }

    // PyTorch's figures for lr 0.1 and 10 epochs, the scheduler stepped once per epoch. python3-torch is not installed
    // here, so they were computed in python3 with the closed forms of the torch.optim.lr_scheduler docs:
    // StepLR(step_size=4, gamma=0.3): 0.1·0.3**(t//4); ExponentialLR(gamma=0.9): 0.1·0.9**t;
    // CosineAnnealingLR(T_max=10, eta_min=0.001): 0.001 + 0.099·(1 + cos(π·t/10))/2; and a LinearLR(start_factor=1/3,
    // total_iters=2) warm-up, SequentialLR(milestones=[3]) into CosineAnnealingLR(T_max=7, eta_min=0.001); t = e − 1.
    [Fact]
    public void MatchesTorchStepLR() => AssertRates(
        [0.1, 0.1, 0.1, 0.1, 0.03, 0.03, 0.03, 0.03, 0.009, 0.009],
        Rates(With(new() { Type = "step", StepSize = 4, Gamma = 0.3 }, 10, 0.1)));

    [Fact]
    public void MatchesTorchExponentialLR() => AssertRates(
        [0.1, 0.09000000000000001, 0.08100000000000002, 0.0729, 0.06561, 0.05904900000000001, 0.05314410000000001,
         0.04782969000000001, 0.04304672100000001, 0.03874204890000001],
        Rates(With(new() { Type = "exponential", Gamma = 0.9 }, 10, 0.1)));

    [Fact]
    public void MatchesTorchCosineAnnealingLR() => AssertRates(
        [0.1, 0.09757729755661011, 0.0905463412215599, 0.07959536998847742, 0.0657963412215599, 0.0505,
         0.03520365877844011, 0.021404630011522586, 0.010453658778440109, 0.0034227024433899004],
        Rates(With(new() { Type = "cosine", MinLearningRate = 0.001 }, 10, 0.1)));

    [Fact]
    public void MatchesTorchLinearLRWarmupThenCosineAnnealingLR() => AssertRates(
        [0.03333333333333333, 0.06666666666666668, 0.1, 0.1, 0.09509795896116975, 0.08136274519200731,
         0.061514786230837566, 0.03948521376916244, 0.019637254807992693, 0.005902041038830258],
        Rates(With(new() { Type = "cosine", MinLearningRate = 0.001, WarmupEpochs = 3 }, 10, 0.1)));
}
