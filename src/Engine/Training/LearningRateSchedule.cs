namespace BackpropService.Engine;

/// <summary>
/// How the learning rate changes from epoch to epoch (PyTorch's schedulers stepped once per epoch); see
/// <see cref="LearningRates.At"/> for the formulas. Types: step (<see cref="StepSize"/>, <see cref="Gamma"/>),
/// exponential (<see cref="Gamma"/>), cosine (<see cref="MinLearningRate"/>); any of them may warm up first.
/// </summary>
public sealed record LearningRateSchedule
{
    public static IReadOnlyList<string> Types { get; } = ["step", "exponential", "cosine"];

    public string? Type { get; init; }

    /// <summary>step: epochs between two multiplications by <see cref="Gamma"/>.</summary>
    public int? StepSize { get; init; }

    /// <summary>step and exponential (required for both): the factor applied per step.</summary>
    public double? Gamma { get; init; }

    /// <summary>cosine: the rate at the end of the cycle (PyTorch's eta_min).</summary>
    public double MinLearningRate { get; init; }

    /// <summary>Epochs 1..W ramp linearly to the rate (lr·e/W); the schedule then runs over the remaining epochs.</summary>
    public int WarmupEpochs { get; init; }
}
