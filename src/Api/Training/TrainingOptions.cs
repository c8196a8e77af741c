namespace BackpropService.Api.Training;

/// <summary>Worker settings, bound from the "Training" configuration section.</summary>
public sealed class TrainingOptions
{
    /// <summary>
    /// Jobs trained at once; each takes one thread. Default: the number of cores. A job's slot frees when it has
    /// trained, while its end (last epochs and result stored, last messages sent) runs on: up to as many more jobs
    /// may be ending, still <c>running</c> in the database until their end is stored.
    /// </summary>
    public int MaxConcurrentJobs { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Threads one job's large matrix products may use; 0: all cores (running jobs still share them: the engine's
    /// EngineThreading gives each of n jobs cores / n). Default 1, one core per job: the service is built for many
    /// jobs at once, and a lone job that splits its products (faster, but by less than its cores: docs/performance.md)
    /// leaves less for the jobs queued behind it. Raise it where single jobs matter more.
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary><see cref="IntraOpThreads"/> with 0 (or less) read as all cores.</summary>
    public int EffectiveIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;

    /// <summary>
    /// A training thread gives its core away this often, between steps (zero: never), so that requests and the flush
    /// loop get a core within about this long when every core trains, instead of a scheduler slice or two later
    /// (its effect on the idle-read p99 and its cost: docs/performance.md).
    /// </summary>
    public TimeSpan YieldEvery { get; set; } = TimeSpan.FromMicroseconds(200);

    /// <summary>How often a running job saves its full trainer state (and weights).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often buffered epochs are written to history and streamed (the contract allows ≤ ~250 ms).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// A job whose lease is not renewed for this long is taken over by another worker (or the next start). A running
    /// attempt renews it every third of this, on its own heartbeat, whatever its flushes and subscribers are doing.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the worker looks for claimable jobs without being nudged (other processes, expired leases).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// This process's lease owner name. On start, jobs still leased to this name belong to a previous life of this
    /// instance and are resumed at once; give every replica sharing a database its own name.
    /// </summary>
    public string InstanceName { get; set; } = Environment.MachineName;

    /// <summary>A job whose attempts all ended without a result (crashes) fails for good after this many.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>On shutdown, how long a job may take to reach the next epoch boundary and checkpoint there.</summary>
    public TimeSpan ShutdownCheckpointTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a job keeps retrying a history or checkpoint write that fails because the database is busy, locked
    /// or full, before it stops and fails with that reason. Keep it below <see cref="LeaseDuration"/>.
    /// </summary>
    public TimeSpan StorageRetryTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long sending one <c>epochs</c> message to a job's subscribers may take; a subscriber that does not read
    /// it in time is disconnected, so it never slows the job or the other subscribers.
    /// </summary>
    public TimeSpan StreamSendTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
