using BackpropService.Api.ScaleOut;
using BackpropService.Reliability.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Xunit.Abstractions;

namespace BackpropService.Reliability.Tests.Faults;

/// <summary>
/// With replicas sharing a stream (a SignalR backplane), a replica killed between persisting a flush and sending it
/// leaves epochs its subscribers on other replicas never got. The replica that takes the job over sends them first.
/// </summary>
public sealed class TakeoverResendTests(ITestOutputHelper output)
{
    private const int Epochs = 2_000;
    private const int KillAt = 500;
    private const int Unsent = 100;

    [Fact]
    public async Task TheSuccessorFirstSendsTheStoredEpochsItsPredecessorDidNotStreamThenTheRestInOrder()
    {
        using var db = new TempDatabase();
        var (jobId, _, _) = await AbandonedJob.CreateAsync(db, Epochs, KillAt);

        var storedAt = (int)db.EpochsCompleted(jobId);
        Assert.Equal(KillAt - 1, storedAt);
        // Where the kill landed between persist and send is luck; fix it: the last Unsent stored epochs were never sent.
        var sentThrough = storedAt - Unsent;
        db.SetStreamedThrough(jobId, sentThrough);
        output.WriteLine($"killed with history up to epoch {storedAt}, sent through {sentThrough}");

        await using var b = new InProcessService(
            new Dictionary<string, string?> { ["Training:LeaseDuration"] = "00:00:03" },
            services => services.Replace(ServiceDescriptor.Singleton(new StreamSharing(AcrossReplicas: true))),
            db);
        var address = b.Listen();
        await using var watcher = await StreamWatcher.ConnectAsync(address);
        var stream = await watcher.SubscribeAsync(jobId);
        Assert.Equal(storedAt, stream.SubscribedAt);
        AbandonedJob.LetLeaseLapse(db, jobId); // subscribed first: now the successor may take the job over
        Assert.Equal("succeeded", await stream.Finished.WaitAsync(TimeSpan.FromSeconds(120)));

        // The unsent epochs first (below k: this client had subscribed elsewhere before, as far as the stream knows),
        // then k+1…N; each once, in order, with the values /history holds.
        using var http = new HttpClient { BaseAddress = address };
        var history = await http.HistoryAsync(jobId);
        Assert.Equal(Enumerable.Range(1, Epochs), history.Select(p => p.Epoch));
        Assert.Equal(history.Skip(sentThrough), stream.Points.ToList());
    }
}
