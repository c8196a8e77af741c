namespace BackpropService.Engine;

/// <summary>A dataset as the trainer reads it: row-major features [rows, featureCount] and targets [rows, targetCount].</summary>
public sealed record TrainingData(float[] Features, float[] Targets, int Rows, int FeatureCount, int TargetCount)
{
    public void Validate()
    {
        if (Rows < 1) throw new ArgumentException("The dataset has no rows.");
        if (Features.Length != Rows * FeatureCount || Targets.Length != Rows * TargetCount)
            throw new ArgumentException($"The dataset's arrays do not match {Rows} rows of {FeatureCount} features and {TargetCount} targets.");
    }
}
