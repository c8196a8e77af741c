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

    /// <summary>
    /// Bound on what one evaluation computes and returns (POST /api/graphs/evaluate, GET /api/jobs/{id}/graph?row=):
    /// the numbers in all nodes' values (values × nodes); each comes back with a gradient of the same size.
    /// </summary>
    public long MaxEvaluationValues { get; set; } = 250_000;

    /// <summary>Bound on one prediction's activations: rows × the numbers one row occupies across the network's nodes.</summary>
    public long MaxPredictNumbers { get; set; } = 10_000_000;

    /// <summary>Most trapezoid intervals an integrated-gradients explanation may ask for (it evaluates steps + 1 points per row).</summary>
    public int MaxExplainSteps { get; set; } = 1_024;

    /// <summary>Evaluations, predictions and graphs on a row computed at once (the rest wait): a bound on their total memory.</summary>
    public int MaxConcurrentComputations { get; set; } = 2;

    /// <summary>Request bodies being received at once; past it a request with a body answers 503 with Retry-After.</summary>
    public int MaxConcurrentBodies { get; set; } = 16;

    /// <summary>
    /// Time a request body may take from the first byte to the last; a slower one has its connection dropped. The
    /// minimum data rate alone does not do this: it averages over the whole body, so a fast start buys hours of stall.
    /// </summary>
    public TimeSpan RequestBodyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Kestrel's minimum request body data rate (its default, stated here so it stays on)...</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>...after this grace period.</summary>
    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxHistoryPage { get; set; } = 100_000;
    public int MaxListPage { get; set; } = 1_000;

    /// <summary>
    /// Bound on a job's cost, epochs × rows × parameters, so one request cannot hold a worker for days: at the
    /// ~5e7/s a small network trains here that is at most about 5 hours; larger networks go faster per unit.
    /// </summary>
    public double MaxJobWork { get; set; } = 1e12;

    /// <summary>The same bound under the name the reliability docs use (<c>Limits:MaxJobCost</c>).</summary>
    public double MaxJobCost { get => MaxJobWork; set => MaxJobWork = value; }

    /// <summary>Bound on the activations and gradients one batch holds (rows × numbers per row × 2), i.e. on memory.</summary>
    public double MaxBatchNumbers { get; set; } = 250_000_000;

    /// <summary>Queued jobs one owner may have; past it POST /api/jobs answers 429 with Retry-After.</summary>
    public int MaxQueuedJobsPerOwner { get; set; } = 1_000;

    /// <summary>Queued jobs in all; past it POST /api/jobs answers 429 with Retry-After.</summary>
    public int MaxQueuedJobs { get; set; } = 10_000;

    /// <summary>Trials one sweep may have (grid points × random draws); a larger sweep is a 400 before anything is created.</summary>
    public int MaxSweepTrials { get; set; } = 10_000;

    /// <summary>Longest network or dataset name, in characters.</summary>
    public int MaxNameLength { get; set; } = 200;

    /// <summary>Longest run note (a job's <c>notes</c>), in characters.</summary>
    public int MaxNotesLength { get; set; } = 2_000;

    /// <summary>Most tags on one job.</summary>
    public int MaxTagsPerJob { get; set; } = 20;

    /// <summary>Longest job tag, in characters.</summary>
    public int MaxTagLength { get; set; } = 50;

    /// <summary>Longest graph node id, in characters (ids are repeated in every graph and evaluation response).</summary>
    public int MaxNodeIdLength { get; set; } = 100;

    /// <summary>Longest CSV class label, in characters (labels are repeated in every dataset listing).</summary>
    public int MaxClassLabelLength { get; set; } = 200;
}
