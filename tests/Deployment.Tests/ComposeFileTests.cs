namespace BackpropService.Deployment.Tests;

/// <summary>The compose file checked by Debian's docker-compose (no engine needed for <c>config</c>).</summary>
public class ComposeFileTests
{
    [ToolFact("docker-compose")]
    public async Task ComposeFileIsValid()
    {
        var (exit, output) = await ExternalTool.RunAsync("docker-compose", "-f docker-compose.yml config -q",
            RepositoryRoot.Path, TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, output);
    }

    [ToolFact("docker-compose")]
    public async Task DefaultRunsOneServiceAndTheScaleProfileAddsTwoReplicasPostgresRedisAndABalancer()
    {
        var (exit, config) = await ExternalTool.RunAsync("docker-compose", "config", RepositoryRoot.Path, TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, config);
        var profiles = ServiceProfiles(config);
        Assert.Equal(["api", "api-1", "api-2", "balancer", "postgres", "redis"], profiles.Keys.Order().ToArray());
        Assert.Null(profiles["api"]);
        Assert.All(profiles.Where(p => p.Key != "api"), p => Assert.Equal("scale", p.Value));
    }

    /// <summary>Service name → its profile (null when it always runs), read from docker-compose's normalised output.</summary>
    private static Dictionary<string, string?> ServiceProfiles(string normalised)
    {
        var result = new Dictionary<string, string?>();
        string? service = null;
        var inServices = false;
        var lines = normalised.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (!line.StartsWith(' ')) { inServices = line.StartsWith("services:", StringComparison.Ordinal); continue; }
            if (!inServices) continue;
            if (line.Length > 2 && line[2] != ' ' && line.EndsWith(':')) result[service = line.Trim().TrimEnd(':')] = null;
            else if (service is not null && line.Trim() == "profiles:" && i + 1 < lines.Length)
                result[service] = lines[i + 1].Trim().TrimStart('-').Trim();
        }
        return result;
    }

    [ToolFact("docker-compose")]
    public async Task DefaultServicePublishes8080AndKeepsTheDatabaseOnANamedVolume()
    {
        var (exit, config) = await ExternalTool.RunAsync("docker-compose", "config", RepositoryRoot.Path, TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, config);
        Assert.Contains("8080", config);
        Assert.Contains("backprop-data", config);
        Assert.Contains("/data", config);
    }
}
