using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace BackpropService.Deployment.Tests.Docker;

/// <summary><c>docker-compose up</c> with the default profile: the one SQLite replica, built from the compose file,
/// answers and trains on its published port.</summary>
[Collection(DockerCollection.Name)]
public sealed class ComposeUpTests(DockerImageFixture fixture, ITestOutputHelper output)
{
    [DockerFact]
    public async Task DefaultProfileComesUpHealthyAndTrainsAJob()
    {
        // Built once by the fixture: compose's own build below then reuses every layer.
        output.WriteLine((await fixture.ImageAsync()).Describe());
        ExternalTool.Require("docker-compose");
        var project = "backprop-test-" + Guid.NewGuid().ToString("N")[..8];
        var port = FreePort();
        var clock = Stopwatch.StartNew();
        try
        {
            await DockerCli.ComposeAsync(project, "up -d --build", port, TimeSpan.FromMinutes(10));
            output.WriteLine($"docker-compose up -d --build took {clock.Elapsed.TotalSeconds:F1} s");
            var id = await DockerCli.ComposeAsync(project, "ps -q api", port);
            using var api = new ServiceContainer(id, port);
            await api.WaitForHealthAsync(TimeSpan.FromSeconds(90));
            // Only the default service runs; the scale profile's services stay down without --profile scale.
            Assert.Equal(id, await DockerCli.ComposeAsync(project, "ps -q", port));

            var jobId = await api.Client.PostJobAsync(TrainingApi.XorJob(500));
            Assert.Equal("succeeded", TrainingApi.Status(await api.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(60))));
            Assert.Equal(Enumerable.Range(1, 500), await api.Client.HistoryEpochsAsync(jobId));
            // The database is on the compose file's named volume.
            Assert.Contains($"{project}_backprop-data", await api.InspectAsync("{{range.Mounts}}{{.Name}}{{end}}"));
        }
        finally
        {
            await ExternalTool.RunAsync("docker-compose", $"-p {project} down -v", RepositoryRoot.Path, TimeSpan.FromMinutes(2),
                new Dictionary<string, string> { ["BACKPROP_PORT"] = port.ToString() });
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
