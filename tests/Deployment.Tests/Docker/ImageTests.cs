using System.Diagnostics;
using Xunit.Abstractions;

namespace BackpropService.Deployment.Tests.Docker;

/// <summary>The project's image, built and run: it serves, trains and stores as an unprivileged user, and its
/// HEALTHCHECK works.</summary>
[Collection(DockerCollection.Name)]
public sealed class ImageTests(DockerImageFixture fixture, ITestOutputHelper output)
{
    private const int Epochs = 3_000;

    [DockerFact]
    public async Task ContainerAnswersHealthTrainsAndStoresAJobAsAnUnprivilegedUserAndReportsHealthy()
    {
        var image = await fixture.ImageAsync();
        output.WriteLine(image.Describe());
        var clock = Stopwatch.StartNew();
        await using var sandbox = await DockerSandbox.CreateAsync();
        using var container = await sandbox.RunAsync(image.Tag, await sandbox.CreateVolumeAsync());
        await container.WaitForHealthAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"/health answered 200 {clock.Elapsed.TotalSeconds:F1} s after docker run");

        // The serving process is the container's PID 1 (the ENTRYPOINT's dotnet): its effective uid is the image's user.
        var uid = (await DockerCli.RunAsync($"exec {container.Name} cat /proc/1/status"))
            .Split('\n').First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[2];
        Assert.Equal("1654", uid);
        Assert.Equal("app", await DockerCli.RunAsync($"exec {container.Name} id -un"));

        var jobId = await container.Client.PostJobAsync(TrainingApi.XorJob(Epochs));
        var job = await container.Client.WaitForFinishAsync(jobId, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", TrainingApi.Status(job));
        Assert.Equal(Enumerable.Range(1, Epochs), await container.Client.HistoryEpochsAsync(jobId));
        var weights = await container.Client.GetJsonAsync($"/api/jobs/{jobId}/weights");
        Assert.Equal(Epochs, weights["epoch"]!.GetValue<int>());
        Assert.Equal(["layers.0.weights", "layers.0.bias", "layers.1.weights", "layers.1.bias"],
            weights["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        // Stored in the volume, where the image's connection string puts the database.
        Assert.Contains("backprop.db", await DockerCli.RunAsync($"exec {container.Name} ls /data"));

        await container.WaitForHealthcheckAsync(TimeSpan.FromSeconds(120));
        output.WriteLine($"HEALTHCHECK healthy {clock.Elapsed.TotalSeconds:F1} s after docker run");
    }
}
