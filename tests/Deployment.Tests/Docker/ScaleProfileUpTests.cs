using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace BackpropService.Deployment.Tests.Docker;

/// <summary>
/// <c>docker-compose --profile scale up</c> on the stand-in postgres, redis and nginx images: two replicas on one
/// PostgreSQL database with the Redis backplane behind nginx. A job is held at a known epoch on one replica, that
/// replica's container is SIGKILLed, the other replica finishes the job, and a SignalR client on the balancer (on
/// the surviving replica, where nginx's ip_hash puts it) receives every epoch from its subscription on, once the
/// job has moved over. The compose file is used as shipped; an override adds only the test seam (a hold directory
/// per replica), a shorter lease and a free port for the balancer.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ScaleProfileUpTests(DockerImageFixture fixture, ITestOutputHelper output)
{
    private const int Epochs = 3_000;
    private const int HoldAt = 1_000;

    [DockerFact]
    public async Task AJobKilledWithItsReplicaIsFinishedByTheOtherWhileASubscriberOnTheBalancerGetsEveryEpoch()
    {
        output.WriteLine((await fixture.ImageAsync()).Describe());
        ExternalTool.Require("docker-compose");
        var project = "backprop-test-" + Guid.NewGuid().ToString("N")[..8];
        var root = Directory.CreateTempSubdirectory("backprop-scale-").FullName;
        var replicas = new[] { Replica(root, "api-1"), Replica(root, "api-2") };
        var overrideFile = Path.Combine(root, "docker-compose.test.yml");
        File.WriteAllText(overrideFile, Override(replicas));
        var port = FreePort();
        var environment = new Dictionary<string, string> { ["BACKPROP_SCALE_PORT"] = port.ToString(), ["BACKPROP_PORT"] = FreePort().ToString() };
        Task<string> Compose(string arguments, TimeSpan? timeout = null) =>
            DockerCli.ComposeAsync(project, $"-f docker-compose.yml -f {overrideFile} --profile scale {arguments}", environment, timeout);
        var passed = false;
        var clock = Stopwatch.StartNew();
        try
        {
            await Compose("up -d", TimeSpan.FromMinutes(5));
            output.WriteLine($"docker-compose --profile scale up -d took {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var replica in replicas) replica.Container = await Compose($"ps -q {replica.Service}");
            var balancer = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient { BaseAddress = balancer, Timeout = TimeSpan.FromSeconds(30) };
            await Wait.UntilHealthyAsync(http, TimeSpan.FromSeconds(120), () => false, () => "");
            foreach (var replica in replicas)
                await Wait.UntilAsync(async () => (await DockerCli.TryAsync($"exec {replica.Container} curl -fsS http://127.0.0.1:8080/health")).ExitCode == 0,
                    TimeSpan.FromSeconds(120), () => $"{replica.Service} healthy");
            output.WriteLine($"both replicas healthy after {clock.Elapsed.TotalSeconds:F1} s");

            // The watcher's WebSocket goes through nginx to one replica: that one must survive, so the job is made
            // to start on the other (posted there while the watcher's replica is paused, so only it can claim).
            await using var watcher = await StreamWatcher.ConnectAsync(balancer);
            var watched = await WatchedReplicaAsync(replicas);
            var training = replicas.Single(r => r != watched);
            output.WriteLine($"the watcher is on {watched.Service}; the job will train on {training.Service}");
            File.WriteAllText(Path.Combine(training.HoldDirectory, "job.json"), TrainingApi.XorJob(Epochs));
            await DockerCli.RunAsync($"pause {watched.Container}");
            string jobId;
            try
            {
                var posted = await DockerCli.RunAsync($"exec {training.Container} curl -sS -H Content-Type:application/json --data @/hold/job.json http://127.0.0.1:8080/api/jobs");
                jobId = System.Text.Json.Nodes.JsonNode.Parse(posted)!["id"]!.GetValue<string>();
                await Wait.UntilAsync(() => training.Holds(HoldAt, jobId), TimeSpan.FromSeconds(120), () => $"job {jobId} held at {HoldAt} on {training.Service}");
            }
            finally
            {
                await DockerCli.RunAsync($"unpause {watched.Container}");
            }

            // Held on the training replica: subscribe on the balancer, let the survivor train past the hold, kill.
            var stream = await watcher.SubscribeAsync(jobId);
            Assert.True(stream.SubscribedAt < HoldAt, $"subscribed at {stream.SubscribedAt}, past the hold");
            watched.Release(HoldAt);
            await DockerCli.RunAsync($"kill {training.Container}");
            var killedAt = clock.Elapsed;

            var job = await http.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(120));
            output.WriteLine($"the job ended {TrainingApi.Status(job)} {(clock.Elapsed - killedAt).TotalSeconds:F1} s after the kill");
            Assert.Equal("succeeded", TrainingApi.Status(job));
            Assert.Equal("false", await DockerCli.RunAsync($"inspect --format {{{{.State.Running}}}} {training.Container}"));
            Assert.Equal(Enumerable.Range(1, Epochs), await http.HistoryEpochsAsync(jobId));
            Assert.Equal("succeeded", await stream.Finished.WaitAsync(TimeSpan.FromSeconds(60)));
            var received = stream.Points.Select(p => p.Epoch).ToHashSet();
            var missing = Enumerable.Range(stream.SubscribedAt + 1, Epochs - stream.SubscribedAt).Where(e => !received.Contains(e)).ToList();
            output.WriteLine($"subscribed at epoch {stream.SubscribedAt}; received {stream.Points.Count} points, {received.Count} distinct epochs");
            Assert.True(missing.Count == 0, $"the subscriber missed {missing.Count} epochs, first {string.Join(", ", missing.Take(10))}");
            passed = true;
        }
        finally
        {
            if (!passed) output.WriteLine((await DockerCli.TryComposeAsync(project, $"-f docker-compose.yml -f {overrideFile} --profile scale logs --tail 40", environment)).Output);
            await DockerCli.TryComposeAsync(project, $"-f docker-compose.yml -f {overrideFile} --profile scale down -v", environment);
            Directory.Delete(root, recursive: true);
            output.WriteLine($"test took {clock.Elapsed.TotalSeconds:F1} s");
        }
    }

    private static ScaleReplica Replica(string root, string service)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, service)).FullName;
        // The service runs as UID 1654 in the container: it writes its held-* files here.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        return new ScaleReplica(service, directory);
    }

    /// <summary>The test seam, a lease short enough for a quick takeover, and a free port for the balancer.</summary>
    private static string Override(IEnumerable<ScaleReplica> replicas) =>
        "services:\n" + string.Concat(replicas.Select(r => $"""
              {r.Service}:
                environment:
                  Testing__HoldAtEpoch: "{HoldAt}"
                  Testing__HoldDirectory: /hold
                  Training__LeaseDuration: "00:00:04"
                volumes:
                  - {r.HoldDirectory}:/hold

            """));

    private static async Task<ScaleReplica> WatchedReplicaAsync(ScaleReplica[] replicas)
    {
        ScaleReplica? watched = null;
        await Wait.UntilAsync(async () =>
        {
            var open = new List<ScaleReplica>();
            foreach (var replica in replicas)
                if (await replica.HasOutsideConnectionAsync()) open.Add(replica);
            watched = open.Count == 1 ? open[0] : null;
            return watched is not null;
        }, TimeSpan.FromSeconds(30), () => "exactly one replica with the balancer's WebSocket open");
        return watched!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
