using System.Globalization;
using System.Net;
using BackpropService.Api.ScaleOut;
using BackpropService.Api.Testing;
using BackpropService.Api.Training;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>
/// A live owner keeps its lease however long its work takes: with an <c>epochs</c> message held (a subscriber that
/// does not take it) far past <c>Training:LeaseDuration</c>, the lease is renewed all along by the attempt's own
/// heartbeat, nobody takes the job over, and it ends in the attempt that held it, its history and stream exact.
/// </summary>
public sealed class LeaseHeartbeatTests(ITestOutputHelper output)
{
    // Short enough that a lease left unrenewed would run out several times over while held, long enough that a renewal
    // delayed by a loaded CI machine (its beat is every second) is not mistaken for a lost lease.
    private const string LeaseDuration = "00:00:03";
    private static readonly TimeSpan LeaseSpan = TimeSpan.Parse(LeaseDuration, CultureInfo.InvariantCulture);

    /// <summary>
    /// The lease, and a stream deadline past the hold (over two lease durations): the held subscriber is slow, not
    /// stuck, and must get every epoch once released.
    /// </summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Training:LeaseDuration"] = LeaseDuration,
        ["Training:StreamSendTimeout"] = "00:01:00",
    };

    [Fact]
    public async Task ALiveFlushHeldLongerThanTheLeaseKeepsTheLeaseAndTheJobEndsInItsFirstAttempt()
    {
        const int epochs = 3_000;
        const int held = 1_000;
        HeldStreamLifetimeManager? stream = null;
        await using var app = new InProcessService(
            Settings,
            services => services.AddSingleton<HubLifetimeManager<TrainingHub>>(provider => stream = Held(provider, held)));
        var address = app.Listen();
        using var http = new HttpClient { BaseAddress = address };
        var (networkId, datasetId) = await http.CreateNetworkAndDatasetAsync();
        // Held at its first epoch until subscribed: a Subscribe after the held message would wait for the job's
        // stream gate, which that message holds until released below, and never be answered.
        using var start = EpochHold.Arm(app.Database.InstanceName, 1);
        var jobId = await http.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, epochs), HttpStatusCode.Accepted);
        Assert.Equal(jobId, await start.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        await using var watcher = await StreamWatcher.ConnectAsync(address);
        JobStream subscriber;

        try
        {
            subscriber = await watcher.SubscribeAsync(jobId);
            start.Release();
            await stream!.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await LeaseOutlivesItsDurationAsync(app.Database, jobId, attempts: 1);
        }
        finally
        {
            stream?.Release.TrySetResult();
        }

        Assert.Equal("succeeded", await subscriber.Finished.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, app.Database.JobAttempts(jobId));
        var history = await http.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, epochs), history.Select(p => p.Epoch));
        Assert.Equal(history.Skip(subscriber.SubscribedAt), subscriber.Points.ToList());
    }

    [Fact]
    public async Task AReSendHeldLongerThanTheLeaseKeepsTheSuccessorsLeaseAndItFinishesTheJob()
    {
        const int epochs = 2_000;
        const int unsent = 100;
        using var db = new TempDatabase();
        var (jobId, _, _) = await AbandonedJob.CreateAsync(db, epochs, killAt: 500);
        var storedAt = (int)db.EpochsCompleted(jobId);
        Assert.True(storedAt is > unsent and < epochs, $"killed at epoch {storedAt}; the test needs more than {unsent} and fewer than {epochs}");
        var sentThrough = storedAt - unsent;
        db.SetStreamedThrough(jobId, sentThrough);

        HeldStreamLifetimeManager? stream = null;
        await using var successor = new InProcessService(
            Settings,
            services =>
            {
                services.Replace(ServiceDescriptor.Singleton(new StreamSharing(AcrossReplicas: true)));
                // The re-send's last epoch: the successor is stuck in its re-send until released.
                services.AddSingleton<HubLifetimeManager<TrainingHub>>(provider => stream = Held(provider, storedAt));
            },
            db);
        var address = successor.Listen();
        await using var watcher = await StreamWatcher.ConnectAsync(address);
        JobStream subscriber;

        try
        {
            // Subscribed while the dead owner's lease is pinned: the successor's re-send, held under the job's stream
            // gate, cannot have started, so Subscribe is answered.
            subscriber = await watcher.SubscribeAsync(jobId);
            AbandonedJob.LetLeaseLapse(db, jobId);
            await stream!.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(storedAt, db.EpochsCompleted(jobId)); // still re-sending: no epoch trained by the successor yet
            await LeaseOutlivesItsDurationAsync(db, jobId, attempts: 2);
        }
        finally
        {
            stream?.Release.TrySetResult();
        }

        Assert.Equal("succeeded", await subscriber.Finished.WaitAsync(TimeSpan.FromSeconds(120)));
        Assert.Equal(2, db.JobAttempts(jobId));
        using var http = new HttpClient { BaseAddress = address };
        var history = await http.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, epochs), history.Select(p => p.Epoch));
        Assert.Equal(history.Skip(sentThrough), subscriber.Points.ToList());
    }

    /// <summary>
    /// While the attempt's flush loop is stuck, its lease keeps being renewed: the expiry moves on until it lies more
    /// than two lease durations past where it was, so the lease would have run out meanwhile without renewals. The
    /// attempt token and the attempt count stay as they were (no takeover, not even by this process's own worker).
    /// </summary>
    private async Task LeaseOutlivesItsDurationAsync(TempDatabase db, string jobId, int attempts)
    {
        var token = Lease(db, jobId).Token;
        var first = Lease(db, jobId).ExpiresAt;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Lease(db, jobId).ExpiresAt < first + 2 * LeaseSpan)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the lease was not renewed while the flush was held: {Lease(db, jobId)}");
            await Task.Delay(50);
        }
        var now = Lease(db, jobId);
        output.WriteLine($"lease expiry {first:O} → {now.ExpiresAt:O} while held");
        Assert.Equal(("Running", token, attempts), (now.Status, now.Token, now.Attempts));
    }

    private static (string Status, string Token, long Attempts, DateTime ExpiresAt) Lease(TempDatabase db, string jobId)
    {
        var row = ((string)db.Scalar("SELECT Status || '|' || AttemptToken || '|' || Attempts || '|' || IFNULL(LeaseExpiresAt, '') FROM Jobs WHERE Id = $id", ("$id", jobId))!).Split('|');
        var expires = row[3].Length == 0 ? DateTime.MinValue : DateTime.Parse(row[3], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return (row[0], row[1], long.Parse(row[2], CultureInfo.InvariantCulture), expires);
    }

    private static HeldStreamLifetimeManager Held(IServiceProvider provider, int epoch) =>
        new(new DefaultHubLifetimeManager<TrainingHub>(provider.GetRequiredService<ILogger<DefaultHubLifetimeManager<TrainingHub>>>()), epoch);
}
