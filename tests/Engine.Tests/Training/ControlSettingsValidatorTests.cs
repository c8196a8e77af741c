namespace BackpropService.Engine.Tests.Training;

/// <summary>learningRateSchedule, clipGradNorm and earlyStopping: each bad value is reported under its own path.</summary>
public class ControlSettingsValidatorTests
{
    private static readonly TrainingSettings Base = new() { Epochs = 100, LearningRate = 0.1 };

    private static void Fails(string field, TrainingSettings settings) =>
        Assert.Equal([field], TrainingSettingsValidator.Validate(settings).Select(e => e.Field));

    private static TrainingSettings Schedule(LearningRateSchedule schedule) => Base with { LearningRateSchedule = schedule };

    [Fact]
    public void UnknownOrMissingTypeIsRejected()
    {
        Fails("learningRateSchedule.type", Schedule(new() { Type = "linear" }));
        Fails("learningRateSchedule.type", Schedule(new() { WarmupEpochs = 3 }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void StepSizeBelowOneIsRejected(int stepSize) =>
        Fails("learningRateSchedule.stepSize", Schedule(new() { Type = "step", StepSize = stepSize, Gamma = 0.5 }));

    [Fact]
    public void StepSizeIsRequiredForStepAndOnlyThere()
    {
        Fails("learningRateSchedule.stepSize", Schedule(new() { Type = "step", Gamma = 0.5 }));
        Fails("learningRateSchedule.stepSize", Schedule(new() { Type = "exponential", Gamma = 0.5, StepSize = 3 }));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void GammaMustBePositiveAndFinite(double gamma)
    {
        Fails("learningRateSchedule.gamma", Schedule(new() { Type = "exponential", Gamma = gamma }));
        Fails("learningRateSchedule.gamma", Schedule(new() { Type = "step", StepSize = 2, Gamma = gamma }));
    }

    [Fact]
    public void GammaIsRequiredForExponential() => Fails("learningRateSchedule.gamma", Schedule(new() { Type = "exponential" }));

    [Theory]
    [InlineData(-1)]
    [InlineData(101)]
    public void WarmupMustBeWithinTheEpochs(int warmup) =>
        Fails("learningRateSchedule.warmupEpochs", Schedule(new() { Type = "cosine", WarmupEpochs = warmup }));

    [Theory]
    [InlineData(-0.01)]
    [InlineData(0.2)]
    [InlineData(double.NaN)]
    public void MinLearningRateMustBeBetweenZeroAndTheRate(double min) =>
        Fails("learningRateSchedule.minLearningRate", Schedule(new() { Type = "cosine", MinLearningRate = min }));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ClipGradNormMustBePositiveAndFinite(double clip) => Fails("clipGradNorm", Base with { ClipGradNorm = clip });

    [Fact]
    public void EarlyStoppingNeedsAPatienceOfAtLeastOne()
    {
        Fails("earlyStopping.patience", Base with { EarlyStopping = new() });
        Fails("earlyStopping.patience", Base with { EarlyStopping = new() { Patience = 0 } });
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void MinDeltaMustBeFiniteAndNotNegative(double delta) =>
        Fails("earlyStopping.minDelta", Base with { EarlyStopping = new() { Patience = 5, MinDelta = delta } });

    [Fact]
    public void TheMetricMustBeKnownAndValidationCostNeedsHeldOutRows()
    {
        Fails("earlyStopping.metric", Base with { EarlyStopping = new() { Patience = 5, Metric = "accuracy" } });
        Fails("earlyStopping.metric", Base with { EarlyStopping = new() { Patience = 5, Metric = "validationCost" } });
        Assert.Empty(TrainingSettingsValidator.Validate(Base with { ValidationSplit = 0.2, EarlyStopping = new() { Patience = 5, Metric = "validationCost" } }));
    }

    [Fact]
    public void WellFormedControlsAreValid() => Assert.Empty(TrainingSettingsValidator.Validate(Base with
    {
        LearningRateSchedule = new() { Type = "cosine", MinLearningRate = 0.1, WarmupEpochs = 100 },
        ClipGradNorm = 1, EarlyStopping = new() { Patience = 1 },
    }));
}
