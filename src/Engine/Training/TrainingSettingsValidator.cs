using System.Globalization;
using BackpropService.Engine.Optimizers;

namespace BackpropService.Engine;

/// <summary>
/// The one check of <see cref="TrainingSettings"/>: the API turns its errors into a 400, the engine into a
/// <see cref="TrainingSettingsException"/>. One line per field; a field reports only its first failed rule.
/// </summary>
public static class TrainingSettingsValidator
{
    public static IReadOnlyList<FieldError> Validate(TrainingSettings s)
    {
        var check = new Checks();
        check.That("epochs", s.Epochs >= 1, $"must be at least 1; got {s.Epochs}.");
        check.Float32("learningRate", s.LearningRate, s.LearningRate > 0, "must be a finite number above 0.");
        check.That("optimizer", OptimizerFactory.Names.Contains(s.Optimizer), $"must be one of {string.Join(", ", OptimizerFactory.Names)}.");
        check.Float32("momentum", s.Momentum, s.Momentum is >= 0 and < 1, "must be in [0, 1).");
        check.Float32("beta1", s.Beta1, s.Beta1 is >= 0 and < 1, "must be in [0, 1).");
        check.Float32("beta2", s.Beta2, s.Beta2 is >= 0 and < 1, "must be in [0, 1).");
        check.Float32("epsilon", s.Epsilon, s.Epsilon is > 0 and <= 1, "must be in (0, 1].");
        check.That("batchSize", s.BatchSize is null or >= 1, "must be at least 1 (or null for full batch).");
        check.That("validationSplit", s.ValidationSplit is >= 0 and <= 0.5, "must be in [0, 0.5].");
        check.Float32("weightDecay", s.WeightDecay, s.WeightDecay >= 0, "must be a finite number ≥ 0.");
        check.Float32("targetCost", s.TargetCost, true, "must be a finite number.");
        check.That("targetCost", s.TargetCost is not < 0, Invariant($"must be at least 0; got {s.TargetCost}."));
        check.Float32("clipGradNorm", s.ClipGradNorm, s.ClipGradNorm > 0, "must be a finite number above 0.");
        if (s.LearningRateSchedule is { } schedule) Schedule(check, schedule, s);
        if (s.EarlyStopping is { } stopping) Stopping(check, stopping, s);
        return check.Errors;
    }

    private static void Schedule(Checks check, LearningRateSchedule schedule, TrainingSettings s)
    {
        const string at = "learningRateSchedule.";
        check.That(at + "type", schedule.Type is not null && LearningRateSchedule.Types.Contains(schedule.Type),
            $"must be one of {string.Join(", ", LearningRateSchedule.Types)}.");
        if (schedule.Type == "step")
            check.That(at + "stepSize", schedule.StepSize >= 1, "is required for a step schedule: a whole number of epochs, at least 1.");
        else check.That(at + "stepSize", schedule.StepSize is null, "applies only to a step schedule.");
        if (schedule.Type is "step" or "exponential")
        {
            check.That(at + "gamma", schedule.Gamma is not null, $"is required for a {schedule.Type} schedule: a finite number above 0.");
            check.Float32(at + "gamma", schedule.Gamma, schedule.Gamma > 0, "must be a finite number above 0.");
        }
        else check.That(at + "gamma", schedule.Gamma is null, "applies only to step and exponential schedules.");
        check.Float32(at + "minLearningRate", schedule.MinLearningRate, schedule.MinLearningRate >= 0 && schedule.MinLearningRate <= s.LearningRate,
            Invariant($"must be between 0 and learningRate ({s.LearningRate})."));
        check.That(at + "minLearningRate", schedule.MinLearningRate == 0 || schedule.Type == "cosine", "applies only to a cosine schedule.");
        check.That(at + "warmupEpochs", schedule.WarmupEpochs >= 0 && schedule.WarmupEpochs <= s.Epochs,
            Invariant($"must be between 0 and epochs ({s.Epochs}); got {schedule.WarmupEpochs}."));
    }

    private static void Stopping(Checks check, EarlyStopping stopping, TrainingSettings s)
    {
        const string at = "earlyStopping.";
        check.That(at + "metric", stopping.Metric is null || EarlyStopping.Metrics.Contains(stopping.Metric),
            $"must be one of {string.Join(", ", EarlyStopping.Metrics)}.");
        check.That(at + "metric", stopping.Metric != "validationCost" || s.ValidationSplit > 0,
            "is validationCost, but validationSplit is 0: no rows are held out to compute it.");
        check.That(at + "patience", stopping.Patience >= 1, "is required: a whole number of epochs, at least 1.");
        check.Float32(at + "minDelta", stopping.MinDelta, stopping.MinDelta >= 0, "must be a finite number ≥ 0.");
    }

    /// <exception cref="TrainingSettingsException">Some setting cannot train; its errors name the fields.</exception>
    public static void ThrowIfInvalid(TrainingSettings settings)
    {
        var errors = Validate(settings);
        if (errors.Count > 0) throw new TrainingSettingsException(errors);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Checks
    {
        public List<FieldError> Errors { get; } = [];

        public void That(string field, bool ok, string message)
        {
            if (!ok && !Errors.Exists(e => e.Field == field)) Errors.Add(new FieldError(field, message));
        }

        /// <summary>A number training uses in float32: finite and <paramref name="ok"/>, then within float32's range. Null is "not set".</summary>
        public void Float32(string field, double? value, bool ok, string message)
        {
            if (value is not { } v) return;
            That(field, double.IsFinite(v) && ok, message);
            That(field, FloatRange.Fits(v), FloatRange.Outside(v));
        }
    }
}
