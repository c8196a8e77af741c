namespace BackpropService.Deployment.Tests.Docker;

/// <summary>
/// What one test makes in the Docker engine (a bridge network of its own, volumes, containers), named after it and
/// removed when it ends, so runs never see each other's data or ports.
/// </summary>
public sealed class DockerSandbox : IAsyncDisposable
{
    private readonly List<string> _containers = [];
    private readonly List<string> _volumes = [];

    private DockerSandbox() { }

    /// <summary>The sandbox's name, also the name of its bridge network and the prefix of all it creates.</summary>
    public string Name { get; } = "backprop-test-" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<DockerSandbox> CreateAsync()
    {
        var sandbox = new DockerSandbox();
        await DockerCli.RunAsync($"network create {sandbox.Name}");
        return sandbox;
    }

    public async Task<string> CreateVolumeAsync()
    {
        var volume = $"{Name}-data{_volumes.Count + 1}";
        _volumes.Add(volume);
        await DockerCli.RunAsync($"volume create {volume}");
        return volume;
    }

    /// <summary>Starts the image detached on the sandbox's network, its port 8080 published on a free loopback port.</summary>
    public async Task<ServiceContainer> RunAsync(string image, string volume)
    {
        var name = $"{Name}-{_containers.Count + 1}";
        _containers.Add(name);
        await DockerCli.RunAsync($"run -d --name {name} --network {Name} -p 127.0.0.1::8080 -v {volume}:/data {image}");
        // "127.0.0.1:49153" (one line per address family; the loopback one is the only one here).
        var published = (await DockerCli.RunAsync($"port {name} 8080/tcp")).Split('\n')[0].Trim();
        return new ServiceContainer(name, int.Parse(published[(published.LastIndexOf(':') + 1)..]));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var container in _containers) await DockerCli.TryAsync($"rm -f -v {container}");
        foreach (var volume in _volumes) await DockerCli.TryAsync($"volume rm -f {volume}");
        await DockerCli.TryAsync($"network rm {Name}");
    }
}
