namespace BackpropService.Api.Limits;

/// <summary>Every size a client controls, bound from the "Limits" configuration section and listed in the README.</summary>
public sealed class LimitsOptions
{
    public int MaxEpochs { get; set; } = 10_000_000;
    public int MaxLayerWidth { get; set; } = 65_536;
    public long MaxParameters { get; set; } = 10_000_000;
    public int MaxDatasetRows { get; set; } = 1_000_000;
    public long MaxDatasetNumbers { get; set; } = 10_000_000;
    public int MaxGraphNodes { get; set; } = 10_000;
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;
    public int MaxJsonDepth { get; set; } = 64;
    public int MaxBatchSize { get; set; } = 1_000_000;
    public int MaxUnrolledNodes { get; set; } = 500;
    public int MaxPredictRows { get; set; } = 10_000;
    public int MaxHistoryPage { get; set; } = 100_000;
    public int MaxListPage { get; set; } = 1_000;

    /// <summary>Bound on epochs × rows × parameters, so one request cannot hold a worker for days.</summary>
    public double MaxJobWork { get; set; } = 1e14;
}
