using System.Text.Json;
using BackpropService.Cli.Tests.Harness;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Tests.Commands;

/// <summary><c>backprop edit</c> (name, notes, tags in one PATCH) and the <c>jobs</c> filters that find them.</summary>
public sealed class EditCommandTests
{
    private static async Task<Job> JobAsync(Client.BackpropClient client, ulong seed) => await client.CreateJobAsync(new JobRequest
    {
        Network = JsonSerializer.Deserialize<NetworkDefinition>(XorFiles.Network, Client.BackpropJson.Options),
        Dataset = new DatasetDefinition { Features = [[0, 0], [0, 1], [1, 0], [1, 1]], Targets = [[0], [1], [1], [0]] },
        Epochs = 5,
        LearningRate = 0.5,
        Seed = seed,
    });

    [Fact]
    public async Task EditSetsNameNotesAndTagsAndJobsFindsAndShowsThem()
    {
        await using var cli = CliHarness.Start();
        using var client = cli.Client();
        var tagged = await JobAsync(client, 1);
        var other = await JobAsync(client, 2);

        var edit = await cli.RunAsync("edit", tagged.Id, "--name", "baseline run", "--note", "first try", "--tag", "baseline", "--tag", "xor");
        var byTag = await cli.RunAsync("jobs", "--tag", "baseline");
        var bySearch = await cli.RunAsync("jobs", "--search", "FIRST", "--json");
        var all = await cli.RunAsync("jobs");
        var reset = await cli.RunAsync("edit", tagged.Id, "--reset-name", "--clear-notes", "--clear-tags", "--json");

        Assert.True(edit.ExitCode == 0, edit.ToString());
        Assert.Equal($"job {tagged.Id}: name \"baseline run\"  tags baseline, xor  notes: first try", edit.Out.Trim());
        var row = Assert.Single(byTag.Out.Split('\n'), l => l.Contains(tagged.Id));
        Assert.Contains("baseline run", row);
        Assert.Contains("baseline, xor", row);
        Assert.DoesNotContain(other.Id, byTag.Out);
        Assert.Equal([tagged.Id], JsonDocument.Parse(bySearch.Out).RootElement.EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        Assert.Contains(all.Out.Split('\n'), l => l.Contains(other.Id) && l.Contains("xor"));
        Assert.True(reset.ExitCode == 0, reset.ToString());
        var job = JsonDocument.Parse(reset.Out).RootElement;
        Assert.Equal("xor", job.GetProperty("name").GetString());
        Assert.False(job.TryGetProperty("notes", out var notes) && notes.ValueKind != JsonValueKind.Null, reset.Out);
        Assert.Equal(0, job.GetProperty("tags").GetArrayLength());
    }

    [Theory]
    [InlineData(new string[0], "Nothing to change: give --name, --notes or --tag")]
    [InlineData(new[] { "--name", "x", "--reset-name" }, "--name and --reset-name contradict each other")]
    [InlineData(new[] { "--tag", "a", "--clear-tags" }, "--tag and --clear-tags contradict each other")]
    [InlineData(new[] { "--tag", "a", "--tag", "a" }, "  tags[1]: ")]
    [InlineData(new[] { "--name", " " }, "  name: ")]
    public async Task AnEditWithNothingContradictoryOrRejectedIsAUsageError(string[] options, string message)
    {
        await using var cli = CliHarness.Start();
        using var client = cli.Client();
        var job = await JobAsync(client, 1);

        var result = await cli.RunAsync(["edit", job.Id, .. options]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.Equal("xor", (await client.GetJobAsync(job.Id)).Name);
    }

    [Fact]
    public async Task EditingAnUnknownJobIsANotFoundProblem()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync("edit", "no-such-job", "--name", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("(404)", result.Error);
    }
}
