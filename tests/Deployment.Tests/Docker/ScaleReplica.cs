namespace BackpropService.Deployment.Tests.Docker;

/// <summary>
/// One replica of the scale profile as the test sees it: its compose service name, its container, and a host folder
/// bind-mounted as its epoch-hold directory (the service's test seam, src/Api/Testing/EpochHold.cs), so a held job's
/// file shows which replica holds it and the release is given to one replica at a time.
/// </summary>
internal sealed class ScaleReplica(string service, string holdDirectory)
{
    public string Service => service;
    public string HoldDirectory => holdDirectory;
    public string Container { get; set; } = "";

    /// <summary>Whether this replica holds <paramref name="jobId"/> at <paramref name="epoch"/>.</summary>
    public bool Holds(int epoch, string jobId) => File.Exists(Path.Combine(holdDirectory, $"held-{epoch}-{jobId}"));

    /// <summary>From now on this replica holds no job at <paramref name="epoch"/>.</summary>
    public void Release(int epoch) => File.WriteAllText(Path.Combine(holdDirectory, $"release-{epoch}"), "");

    /// <summary>
    /// Whether a client outside the container has an open connection to the service's port 8080 (the balancer's
    /// WebSocket to it), read from the container's /proc/net/tcp*: state 01 is ESTABLISHED, 1F90 is port 8080.
    /// </summary>
    public async Task<bool> HasOutsideConnectionAsync()
    {
        var tables = await DockerCli.RunAsync($"exec {Container} cat /proc/net/tcp /proc/net/tcp6");
        return tables.Split('\n').Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f.Length > 3 && f[1].EndsWith(":1F90", StringComparison.Ordinal) && f[3] == "01"
                      && !f[2].StartsWith("0100007F", StringComparison.Ordinal) && !f[2].StartsWith("0000000000000000FFFF00000100007F", StringComparison.Ordinal)
                      && !f[2].StartsWith("00000000000000000000000001000000", StringComparison.Ordinal));
    }
}
