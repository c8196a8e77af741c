namespace BackpropService.Engine.Training;

/// <summary>Rejects hyperparameters that cannot train, naming the field (camelCase, as the API spells it).</summary>
internal static class SettingsValidator
{
    public static void Check(TrainingSettings s)
    {
        Require(s.Epochs >= 1, "epochs", $"must be at least 1; got {s.Epochs}.");
        Require(double.IsFinite(s.LearningRate) && s.LearningRate > 0, "learningRate", "must be a finite number above 0.");
        Require(OptimizerNames.Contains(s.Optimizer), "optimizer", $"must be one of {string.Join(", ", OptimizerNames)}.");
        Require(double.IsFinite(s.Momentum) && s.Momentum is >= 0 and < 1, "momentum", "must be in [0, 1).");
        Require(double.IsFinite(s.Beta1) && s.Beta1 is >= 0 and < 1, "beta1", "must be in [0, 1).");
        Require(double.IsFinite(s.Beta2) && s.Beta2 is >= 0 and < 1, "beta2", "must be in [0, 1).");
        Require(double.IsFinite(s.Epsilon) && s.Epsilon > 0, "epsilon", "must be a finite number above 0.");
        Require(s.BatchSize is null or >= 1, "batchSize", "must be at least 1 (or null for full batch).");
        Require(double.IsFinite(s.ValidationSplit) && s.ValidationSplit is >= 0 and <= 0.5, "validationSplit", "must be in [0, 0.5].");
        Require(double.IsFinite(s.WeightDecay) && s.WeightDecay >= 0, "weightDecay", "must be a finite number ≥ 0.");
        Require(s.TargetCost is null || double.IsFinite(s.TargetCost.Value), "targetCost", "must be a finite number.");
    }

    private static IReadOnlyList<string> OptimizerNames => Optimizers.OptimizerFactory.Names;

    private static void Require(bool condition, string field, string message)
    {
        if (!condition) throw new Graphs.GraphValidationException(field, $"'{field}' {message}");
    }
}
