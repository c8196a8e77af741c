using System.Diagnostics.Metrics;
using System.Net;
using BackpropService.Api.Observability;
using BackpropService.Api.Testing;
using BackpropService.Api.Training;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackpropService.Reliability.Tests.Training;

/// <summary>
/// A training slot is freed when its job's training thread ends, not when the job's end has been stored and sent: the
/// next job trains meanwhile. Still, at most <c>Training:MaxConcurrentJobs</c> jobs train at once, and at most as many
/// ends run on beside them. The ends are held where they send their last epochs (after the end is stored).
/// </summary>
public sealed class TrainingSlotTests
{
    private const int Epochs = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TheNextJobTrainsWhileTheLastEpochsOfTheOneBeforeAreStillBeingSentButNoMoreJobsTrainOrEndThanTheSlots()
    {
        HeldStreamLifetimeManager? held = null;
        // Jobs training now, as the worker counts them (backprop.jobs.training: claimed until the training thread ends).
        var training = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Meter.Name: TrainingMetrics.MeterName, Name: "backprop.jobs.training" }) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, change, _, _) => Interlocked.Add(ref training, change));
        listener.Start();
        // One slot: before, a job held it until its last message was out, so nothing else could start meanwhile.
        await using var app = new InProcessService(
            settings: new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" },
            services: s => s.AddSingleton<HubLifetimeManager<TrainingHub>>(provider => held =
                new HeldStreamLifetimeManager(new DefaultHubLifetimeManager<TrainingHub>(provider.GetRequiredService<ILogger<DefaultHubLifetimeManager<TrainingHub>>>()), Epochs)));
        using var http = app.CreateClient();
        var (networkId, datasetId) = await http.CreateNetworkAndDatasetAsync();
        var beats = app.Services.GetRequiredService<WorkerHeartbeat>();
        string first, second, third;
        try
        {
            // The first job ends (stored: succeeded) and its last epochs wait to be sent: its attempt has not ended.
            first = await http.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs), HttpStatusCode.Accepted);
            await held!.Reached.Task.WaitAsync(Patience);
            Assert.Equal("succeeded", JobClient.Status(await http.GetJobAsync(first)));

            // Its slot is free all the same: a second job trains, held at its first epoch, while the first one's end waits.
            using (var hold = EpochHold.Arm(app.Database.InstanceName, 1))
            {
                second = await http.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs, seed: 2), HttpStatusCode.Accepted);
                Assert.Equal(second, await hold.Reached.WaitAsync(Patience));
                // The slot is taken: a third job waits in the queue, whatever rounds the worker makes.
                third = await http.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, Epochs, seed: 3), HttpStatusCode.Accepted);
                await WorkerWentRoundAsync(beats);
                Assert.Equal("queued", JobClient.Status(await http.GetJobAsync(third)));
                Assert.Equal(1, held.Holding);
                Assert.Equal(1, Volatile.Read(ref training));
            }

            // The second job trains to its end, and its end waits too (its last epochs, or the gate its stripe shares
            // with the first job's): two ends under way, as many as slots beside the one slot, so the third job still
            // waits although no job trains.
            await Wait.UntilAsync(() => Volatile.Read(ref training) == 0, Patience, () => $"{training} jobs training");
            await WorkerWentRoundAsync(beats);
            Assert.Equal("queued", JobClient.Status(await http.GetJobAsync(third)));
        }
        finally
        {
            held?.Release.TrySetResult(); // a failed check must not leave the host's shutdown waiting on it
        }

        // Once the ends are out, the third job is claimed; every job has its whole history.
        foreach (var job in new[] { first, second, third })
        {
            Assert.Equal("succeeded", JobClient.Status(await http.WaitForFinishAsync(job, Patience)));
            Assert.Equal(Enumerable.Range(1, Epochs), (await http.HistoryAsync(job)).Select(p => p.Epoch));
        }
    }

    /// <summary>
    /// Returns once the worker loop has begun two rounds after the call: the first of them began after every job
    /// committed before the call, and had finished its claim when the second began (each round beats, then claims).
    /// </summary>
    private static async Task WorkerWentRoundAsync(WorkerHeartbeat beats)
    {
        var after = DateTimeOffset.UtcNow;
        for (var round = 0; round < 2; round++)
        {
            await Wait.UntilAsync(() => beats.LastBeat > after, Patience, () => "the worker loop did not go round");
            after = beats.LastBeat!.Value;
        }
    }
}
