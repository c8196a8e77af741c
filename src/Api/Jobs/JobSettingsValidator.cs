using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Engine;

namespace BackpropService.Api.Jobs;

/// <summary>Checks a job's hyperparameters against their documented ranges and the limits, filling in defaults.</summary>
public static class JobSettingsValidator
{
    /// <summary>The engine's own list, so a new optimizer needs no second edit here.</summary>
    private static IReadOnlyList<string> Optimizers => OpCatalog.Optimizers;

    public static JobSettings? Validate(CreateJobRequest r, LimitsOptions limits, ValidationErrors errors)
    {
        if (r.Epochs is not { } epochs)
            errors.Add("epochs", $"is required: a whole number between 1 and {limits.MaxEpochs}.");
        else if (epochs < 1 || epochs > limits.MaxEpochs)
            errors.Add("epochs", $"must be between 1 and {limits.MaxEpochs} (Limits:MaxEpochs); got {epochs}.");

        if (r.LearningRate is not { } rate)
            errors.Add("learningRate", "is required: a finite number greater than 0.");
        else if (!double.IsFinite(rate) || rate <= 0)
            errors.Add("learningRate", $"must be a finite number greater than 0; got {rate}.");

        var optimizer = r.Optimizer ?? "sgd";
        if (!Optimizers.Contains(optimizer))
            errors.Add("optimizer", $"must be one of {string.Join(", ", Optimizers)}; got '{optimizer}'.");

        UnitInterval(r.Momentum, "momentum", errors);
        UnitInterval(r.Beta1, "beta1", errors);
        UnitInterval(r.Beta2, "beta2", errors);
        if (r.Epsilon is { } eps && (!double.IsFinite(eps) || eps <= 0 || eps > 1))
            errors.Add("epsilon", $"must be greater than 0 and at most 1; got {eps}.");
        if (r.BatchSize is { } batch && (batch < 1 || batch > limits.MaxBatchSize))
            errors.Add("batchSize", $"must be null (full batch) or between 1 and {limits.MaxBatchSize} (Limits:MaxBatchSize); got {batch}.");
        if (r.ValidationSplit is { } split && (!double.IsFinite(split) || split < 0 || split > 0.5))
            errors.Add("validationSplit", $"must be between 0 and 0.5; got {split}.");
        if (r.WeightDecay is { } decay && (!double.IsFinite(decay) || decay < 0))
            errors.Add("weightDecay", $"must be a finite number of at least 0; got {decay}.");
        if (r.TargetCost is { } target && (!double.IsFinite(target) || target < 0))
            errors.Add("targetCost", $"must be a finite number of at least 0; got {target}.");
        if (errors.Any) return null;

        return new JobSettings(
            r.Epochs!.Value, r.LearningRate!.Value, optimizer, r.Momentum ?? 0.9, r.Beta1 ?? 0.9, r.Beta2 ?? 0.999,
            r.Epsilon ?? 1e-8, r.BatchSize, r.Seed ?? RandomSeed(), r.ValidationSplit ?? 0, r.WeightDecay ?? 0,
            r.TargetCost, r.Shuffle);
    }

    private static void UnitInterval(double? value, string field, ValidationErrors errors)
    {
        if (value is { } v && (!double.IsFinite(v) || v < 0 || v >= 1))
            errors.Add(field, $"must be at least 0 and less than 1; got {v}.");
    }

    // A seed small enough to survive a round trip through a JavaScript number.
    private static ulong RandomSeed() => (ulong)Random.Shared.NextInt64(0, 1L << 53);
}
