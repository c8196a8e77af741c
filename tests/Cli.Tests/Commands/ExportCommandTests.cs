using System.Text.Json;
using BackpropService.Cli.Tests.Harness;

namespace BackpropService.Cli.Tests.Commands;

/// <summary><c>backprop export ID -o FILE</c>: an ONNX file for a trained job; 409 (exit 1) without weights, 404 (exit 2) for an unknown job.</summary>
public sealed class ExportCommandTests
{
    /// <summary>An ONNX ModelProto starts with field 1 (ir_version) as a varint: tag byte (1 &lt;&lt; 3) | 0.</summary>
    private const byte IrVersionTag = 0x08;

    [Fact]
    public async Task ATrainedJobIsWrittenAsAnOnnxFile()
    {
        await using var cli = CliHarness.Start();
        var trained = await cli.RunAsync(XorFiles.TrainArgs(cli, epochs: 50, "--json"));
        Assert.True(trained.ExitCode == 0, trained.ToString());
        var id = JsonDocument.Parse(trained.Out).RootElement.GetProperty("id").GetString()!;
        var path = cli.File("model.onnx", "");

        var result = await cli.RunAsync("export", id, "-o", path);
        var json = await cli.RunAsync("export", id, "--output", path, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.True(bytes.Length > 0);
        Assert.Equal(IrVersionTag, bytes[0]);
        Assert.Contains($"ONNX model written to {path} ({bytes.Length} bytes)", result.Out);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(bytes.Length, JsonDocument.Parse(json.Out).RootElement.GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task AJobWithoutWeightsExitsWithOneAndAnUnknownJobWithTwoAndNoFileIsWritten()
    {
        await using var cli = CliHarness.Start();
        await using var held = await HeldJob.StartAsync(cli);
        var path = Path.Combine(Path.GetTempPath(), $"backprop-{Guid.NewGuid():N}.onnx");

        var conflict = await cli.RunAsync("export", held.Job.Id, "-o", path);
        var unknown = await cli.RunAsync("export", Guid.Empty.ToString(), "-o", path);

        Assert.True(conflict.ExitCode == 1, conflict.ToString());
        Assert.Contains("(409)", conflict.Error);
        Assert.Contains("no weights", conflict.Error);
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("(404)", unknown.Error);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task AnOutputFileThatCannotBeWrittenIsAUsageErrorNamingIt()
    {
        await using var cli = CliHarness.Start();
        var trained = await cli.RunAsync(XorFiles.TrainArgs(cli, epochs: 5, "--json"));
        var id = JsonDocument.Parse(trained.Out).RootElement.GetProperty("id").GetString()!;
        var path = Path.Combine(Path.GetTempPath(), $"backprop-missing-{Guid.NewGuid():N}", "model.onnx");

        var result = await cli.RunAsync("export", id, "-o", path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"error: {path}: ", result.Error);
    }

    [Fact]
    public async Task WithoutAnOutputFileItIsAUsageError()
    {
        await using var cli = CliHarness.Start();

        var result = await cli.RunAsync("export", "some-job");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--output", result.Error);
    }
}
