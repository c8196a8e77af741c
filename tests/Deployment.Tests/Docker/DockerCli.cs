namespace BackpropService.Deployment.Tests.Docker;

/// <summary>The docker and docker-compose commands the image tests run, each expected to succeed.</summary>
internal static class DockerCli
{
    // The classic builder: BuildKit would fetch the Dockerfile's `# syntax=` frontend image from a registry.
    private static readonly Dictionary<string, string> Environment = new() { ["DOCKER_BUILDKIT"] = "0" };

    public static Task<string> RunAsync(string arguments, TimeSpan? timeout = null) =>
        RunToolAsync("docker", arguments, timeout, Environment);

    public static Task<string> ComposeAsync(string project, string arguments, int hostPort, TimeSpan? timeout = null) =>
        RunToolAsync("docker-compose", $"-p {project} {arguments}", timeout,
            new Dictionary<string, string>(Environment) { ["BACKPROP_PORT"] = hostPort.ToString() });

    public static Task<string> ComposeAsync(string project, string arguments, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null) =>
        RunToolAsync("docker-compose", $"-p {project} {arguments}", timeout, WithBuilder(environment));

    /// <summary>A docker-compose command that may fail (cleanup, logs).</summary>
    public static Task<(int ExitCode, string Output)> TryComposeAsync(string project, string arguments, IReadOnlyDictionary<string, string> environment) =>
        ExternalTool.RunAsync("docker-compose", $"-p {project} {arguments}", RepositoryRoot.Path, TimeSpan.FromMinutes(3), WithBuilder(environment));

    private static Dictionary<string, string> WithBuilder(IReadOnlyDictionary<string, string> environment)
    {
        var all = new Dictionary<string, string>(Environment);
        foreach (var (key, value) in environment) all[key] = value;
        return all;
    }

    /// <summary>Runs a command that may fail (cleanup, probes) and returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> TryAsync(string arguments) =>
        ExternalTool.RunAsync("docker", arguments, RepositoryRoot.Path, TimeSpan.FromMinutes(2), Environment);

    private static async Task<string> RunToolAsync(string tool, string arguments, TimeSpan? timeout, Dictionary<string, string> environment)
    {
        var (exit, output) = await ExternalTool.RunAsync(tool, arguments, RepositoryRoot.Path, timeout ?? TimeSpan.FromMinutes(2), environment);
        Assert.True(exit == 0, $"{tool} {arguments} exited {exit}:\n{output}");
        return output.Trim();
    }
}
