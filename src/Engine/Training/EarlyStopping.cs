namespace BackpropService.Engine;

/// <summary>
/// Stop once <see cref="Metric"/> has not improved (fallen below the best by more than <see cref="MinDelta"/>) for
/// <see cref="Patience"/> epochs in a row, as Keras' EarlyStopping callback in "min" mode.
/// </summary>
public sealed record EarlyStopping
{
    public static IReadOnlyList<string> Metrics { get; } = ["validationCost", "cost"];

    /// <summary>validationCost or cost; null picks validationCost when the job holds rows out, else cost.</summary>
    public string? Metric { get; init; }

    /// <summary>Epochs without improvement that end the run; required, at least 1.</summary>
    public int? Patience { get; init; }

    public double MinDelta { get; init; }

    /// <summary>Keep the best epoch's parameters so that they, not the last ones, are the job's result.</summary>
    public bool RestoreBest { get; init; } = true;
}
