namespace BackpropService.Engine.Tests.Training;

public class TrainingSettingsValidatorTests
{
    /// <summary>Starting a session with <paramref name="settings"/> throws the settings error naming only <paramref name="field"/>.</summary>
    private static void SettingsFail(string field, string message, TrainingSettings settings)
    {
        var error = Assert.Throws<TrainingSettingsException>(() => TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), settings));
        Assert.Equal(message, error.Message);
        Assert.Equal(field, Assert.Single(error.Errors).Field);
    }

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

    [Fact]
    public void NegativeTargetCostIsRejected() =>
        SettingsFail("targetCost", "'targetCost' must be at least 0; got -0.5.", new() { TargetCost = -0.5 });

    [Fact]
    public void EpsilonAboveOneIsRejected() => SettingsFail("epsilon", "'epsilon' must be in (0, 1].", new() { Epsilon = 2 });

    [Theory]
    [InlineData("learningRate", 1e308, "1E+308")]
    [InlineData("weightDecay", 1e39, "1E+39")]
    [InlineData("targetCost", -1e39, "-1E+39")]
    public void FiniteNumbersBeyondFloat32AreRejected(string field, double value, string written) =>
        SettingsFail(field, $"'{field}' {written} is outside the float32 range.", field switch
        {
            "learningRate" => new TrainingSettings { LearningRate = value },
            "weightDecay" => new TrainingSettings { WeightDecay = value },
            _ => new TrainingSettings { TargetCost = value },
        });

    [Fact]
    public void TheLargestFloat32IsAccepted() =>
        Assert.Empty(TrainingSettingsValidator.Validate(new() { LearningRate = float.MaxValue, WeightDecay = float.MaxValue, TargetCost = float.MaxValue }));

    [Fact]
    public void EveryBadFieldIsReportedOnceUnderItsOwnName()
    {
        var errors = TrainingSettingsValidator.Validate(new() { Epochs = 0, LearningRate = double.NaN, Beta2 = 1, TargetCost = double.NegativeInfinity });
        Assert.Equal(["epochs", "learningRate", "beta2", "targetCost"], errors.Select(e => e.Field));
    }

    [Fact]
    public void TheDefaultsAreValid() => Assert.Empty(TrainingSettingsValidator.Validate(new TrainingSettings()));
}
