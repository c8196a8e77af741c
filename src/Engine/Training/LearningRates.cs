namespace BackpropService.Engine;

/// <summary>The learning rate of each epoch under <see cref="TrainingSettings.LearningRateSchedule"/>.</summary>
public static class LearningRates
{
    /// <summary>
    /// The rate epoch <paramref name="epoch"/> (from 1) trains with: PyTorch's closed forms for a scheduler stepped once
    /// per epoch. step: lr·γ^⌊(e−1)/stepSize⌋; exponential: lr·γ^(e−1); cosine: min + (lr − min)(1 + cos(π(e−1)/epochs))/2
    /// (CosineAnnealingLR with T_max = epochs). With W warm-up epochs, epochs 1..W use lr·e/W and the schedule then
    /// runs on k = e − W over T = epochs − W. No schedule: the constant rate.
    /// </summary>
    public static double At(TrainingSettings settings, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        var lr = settings.LearningRate;
        if (settings.LearningRateSchedule is not { } schedule) return lr;
        var warmup = schedule.WarmupEpochs;
        if (epoch <= warmup) return lr * epoch / warmup;
        var (k, total) = (epoch - warmup, settings.Epochs - warmup);
        return schedule.Type switch
        {
            "step" => lr * Math.Pow(schedule.Gamma!.Value, (k - 1) / schedule.StepSize!.Value),
            "exponential" => lr * Math.Pow(schedule.Gamma!.Value, k - 1),
            "cosine" => schedule.MinLearningRate + (lr - schedule.MinLearningRate) * (1 + Math.Cos(Math.PI * (k - 1) / total)) / 2,
            _ => throw new ArgumentException($"Unknown learning-rate schedule '{schedule.Type}'."),
        };
    }

    /// <summary>The rate of the last epoch trained, or null before the first.</summary>
    public static double? Current(TrainingSettings settings, int epochsCompleted) =>
        epochsCompleted < 1 ? null : At(settings, Math.Min(epochsCompleted, settings.Epochs));
}
