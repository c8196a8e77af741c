using static BackpropService.Engine.Tests.Graphs.ValidationAssert;

namespace BackpropService.Engine.Tests.Training;

public class SettingsValidatorTests
{
    private static void SettingsFail(string field, string message, TrainingSettings settings) =>
        Fails(field, message, () => TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), settings));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void LearningRateMustBePositiveAndFinite(double rate) =>
        SettingsFail("learningRate", "'learningRate' must be a finite number above 0.", new() { LearningRate = rate });

    [Theory]
    [InlineData(0.51)]
    [InlineData(-0.1)]
    public void ValidationSplitMustBeAtMostHalf(double split) =>
        SettingsFail("validationSplit", "'validationSplit' must be in [0, 0.5].", new() { ValidationSplit = split });

    [Fact]
    public void UnknownOptimizerIsRejected() =>
        SettingsFail("optimizer", "'optimizer' must be one of sgd, momentum, adam.", new() { Optimizer = "rmsprop" });

    [Fact]
    public void EpochsMustBePositive() => SettingsFail("epochs", "'epochs' must be at least 1; got 0.", new() { Epochs = 0 });

    [Fact]
    public void BatchSizeMustBePositive() =>
        SettingsFail("batchSize", "'batchSize' must be at least 1 (or null for full batch).", new() { BatchSize = 0 });

    [Fact]
    public void MomentumMustBeBelowOne() => SettingsFail("momentum", "'momentum' must be in [0, 1).", new() { Momentum = 1 });

    [Fact]
    public void NegativeWeightDecayIsRejected() =>
        SettingsFail("weightDecay", "'weightDecay' must be a finite number ≥ 0.", new() { WeightDecay = -1 });

    [Fact]
    public void InfiniteTargetCostIsRejected() =>
        SettingsFail("targetCost", "'targetCost' must be a finite number.", new() { TargetCost = double.NegativeInfinity });
}
