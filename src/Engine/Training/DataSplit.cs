namespace BackpropService.Engine.Training;

/// <summary>
/// Which rows train and which validate. The held-out rows are chosen by a seeded shuffle, not taken from the end,
/// because datasets often arrive sorted by class (Iris), and the last rows would then be one class only.
/// The settings' validator bounds the split to 0.5, so at least half the rows train.
/// </summary>
internal sealed record DataSplit(int[] TrainingRows, int[] ValidationRows)
{
    public static DataSplit Create(int rows, double validationSplit, Rng rng)
    {
        var validationCount = (int)Math.Floor(rows * validationSplit);
        if (validationCount == 0) return new DataSplit(Enumerable.Range(0, rows).ToArray(), []);
        var order = Enumerable.Range(0, rows).ToArray();
        rng.Shuffle(order);
        return new DataSplit(order[validationCount..].Order().ToArray(), order[..validationCount].Order().ToArray());
    }
}
