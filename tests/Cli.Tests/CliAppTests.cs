using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using BackpropService.Cli.Tests.Harness;

namespace BackpropService.Cli.Tests;

/// <summary>What every command shares: usage errors, an unreachable service, the API key, JSON errors.</summary>
public sealed class CliAppTests
{
    [Fact]
    public async Task AnUnknownOptionOrAMissingCommandIsAUsageErrorWithExitCodeTwo()
    {
        await using var cli = CliHarness.Start();

        var unknown = await cli.RunAsync("jobs", "--colour", "blue");
        var none = await cli.RunAsync();
        var missing = await cli.RunAsync("train", "--network", "net.json");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--colour", unknown.Error);
        Assert.Equal(2, none.ExitCode);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--data", missing.Error);
    }

    [Fact]
    public async Task HelpListsTheCommands()
    {
        await using var cli = CliHarness.Start();

        var help = await cli.RunAsync("--help");

        Assert.Equal(0, help.ExitCode);
        foreach (var command in new[] { "train", "jobs", "watch", "history", "predict", "cancel" }) Assert.Contains(command, help.Out);
    }

    [Fact]
    public async Task AnUnreachableServiceIsExitCodeThreeNamingTheAddress()
    {
        await using var cli = CliHarness.Start();
        var url = $"http://127.0.0.1:{ClosedPort()}/";

        var result = await cli.RunAsync("jobs", "--url", url);
        var json = await cli.RunAsync("jobs", "--url", url, "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.StartsWith($"error: cannot reach the service at {url}", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Equal(3, json.ExitCode);
        using var error = JsonDocument.Parse(json.Error);
        Assert.Equal(3, error.RootElement.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task AWrongApiKeyIsUnauthorizedWithExitCodeTwoAndTheRightOneWorks()
    {
        await using var cli = CliHarness.Start(new Dictionary<string, string?> { ["Auth:ApiKeys:k-right-key"] = "alice" });

        var wrong = await cli.RunAsync("jobs", "--api-key", "k-wrong");
        var right = await cli.RunAsync("jobs", "--api-key", "k-right-key");

        Assert.Equal(2, wrong.ExitCode);
        var lines = wrong.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("error: Unauthorized (401)", lines[0]);
        Assert.Contains("X-Api-Key", lines[1]);
        Assert.True(right.ExitCode == 0, right.ToString());
    }

    [Fact]
    public async Task AMalformedUrlIsAUsageError()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync("jobs", "--url", "localhost:5000");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--url", result.Error);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
