using System.Net;

namespace BackpropService.Deployment.Tests.Docker;

/// <summary>One running container of the image, reached through its published port.</summary>
public sealed class ServiceContainer(string name, int hostPort) : IDisposable
{
    public string Name => name;

    public HttpClient Client { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{hostPort}"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>One field of <c>docker inspect</c>, as a Go template such as <c>{{.State.ExitCode}}</c>.</summary>
    public Task<string> InspectAsync(string template) => DockerCli.RunAsync($"inspect --format {template} {name}");

    public async Task<string> LogsAsync() => (await DockerCli.TryAsync($"logs --tail 60 {name}")).Output;

    /// <summary>Polls <c>/health</c> until it answers 200; fails early, with the log, if the container stops.</summary>
    public async Task WaitForHealthAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await Client.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            if (await InspectAsync("{{.State.Running}}") != "true")
                Assert.Fail($"{name} stopped before /health answered 200:\n{await LogsAsync()}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"/health did not answer 200 within {timeout}:\n{await LogsAsync()}");
            await Task.Delay(200);
        }
    }

    /// <summary>Polls the engine's view of the image's HEALTHCHECK until it says healthy (its first probe runs one
    /// interval, 30 s, after the start); fails at once if it says unhealthy.</summary>
    public async Task WaitForHealthcheckAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var status = await InspectAsync("{{.State.Health.Status}}");
            if (status == "healthy") return;
            Assert.True(status == "starting", $"HEALTHCHECK reports {status}:\n{await InspectAsync("{{.State.Health.Log}}")}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"HEALTHCHECK still '{status}' after {timeout}");
            await Task.Delay(500);
        }
    }

    public void Dispose() => Client.Dispose();
}
