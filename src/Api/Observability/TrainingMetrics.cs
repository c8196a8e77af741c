using System.Diagnostics.Metrics;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Observability;

/// <summary>
/// The training worker's OpenTelemetry instruments (meter <see cref="MeterName"/>), scraped at <c>/metrics</c>.
/// Counters are per replica; <see cref="JobCountsSampler"/> adds the database-wide job counts by status.
/// </summary>
/// <remarks>
/// In Prometheus: <c>backprop_jobs{status="queued"}</c>, <c>backprop_jobs_training</c>, <c>backprop_jobs_claimed_total</c>,
/// <c>backprop_jobs_finished_total{status}</c>, epochs per second as <c>rate(backprop_epochs_total[1m])</c>, and the
/// epoch-write latency as <c>backprop_epoch_write_duration_seconds</c> (one sample per history flush).
/// </remarks>
public sealed class TrainingMetrics
{
    public const string MeterName = "BackpropService.Training";

    private readonly Counter<long> _claimed;
    private readonly UpDownCounter<long> _training;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _epochs;
    private readonly Histogram<double> _writeDuration;

    public TrainingMetrics(IMeterFactory meters, JobCountsSampler counts)
    {
        var meter = meters.Create(MeterName);
        _claimed = meter.CreateCounter<long>("backprop.jobs.claimed", "{job}",
            "Jobs this replica claimed, including jobs taken over after another replica's lease expired.");
        _training = meter.CreateUpDownCounter<long>("backprop.jobs.training", "{job}", "Jobs this replica is training now.");
        _finished = meter.CreateCounter<long>("backprop.jobs.finished", "{job}", "Jobs this replica ended, by final status.");
        _epochs = meter.CreateCounter<long>("backprop.epochs", "{epoch}", "Epochs trained and persisted by this replica.");
        _writeDuration = meter.CreateHistogram<double>("backprop.epoch_write.duration", "s",
            "Time to persist one flush of epochs (history rows, lease renewal, checkpoint) in one transaction.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        meter.CreateObservableGauge("backprop.jobs", counts.Observe, "{job}", "Jobs in the database by status (all replicas).");
    }

    public void JobClaimed() => _claimed.Add(1);

    public void JobFinished(JobStatus status) => _finished.Add(1, new KeyValuePair<string, object?>("status", StatusName(status)));

    public void EpochsWritten(int epochs, TimeSpan elapsed)
    {
        _writeDuration.Record(elapsed.TotalSeconds);
        if (epochs > 0) _epochs.Add(epochs);
    }

    /// <summary>A job started training: counted in <c>backprop.jobs.training</c> until <see cref="TrainingEnded"/>.</summary>
    public void TrainingStarted() => _training.Add(1);

    /// <summary>A job's training thread ended (its end may still be being stored).</summary>
    public void TrainingEnded() => _training.Add(-1);

    public static string StatusName(JobStatus status) => status.ToString().ToLowerInvariant();
}
