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
        return check.Errors;
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
