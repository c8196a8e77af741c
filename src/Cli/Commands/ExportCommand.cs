using System.CommandLine;
using BackpropService.Cli.Output;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop export ID -o model.onnx</c>: saves a job's trained network as an ONNX model.</summary>
public static class ExportCommand
{
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var output = new Option<string>("--output", "-o") { Description = "The file to write (replaced if it exists)", Required = true };
        var command = new Command("export", "Save a job's trained network as an ONNX model") { id, output };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var jobId = parse.GetRequiredValue(id);
            var path = parse.GetRequiredValue(output);
            ModelFile model;
            try
            {
                model = await client.DownloadModelAsync(jobId, path, ct);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"{path}: {error.Message}");
            }
            var result = new ModelFileResult(jobId, Path.GetFullPath(path), model.Length);
            if (parse.GetValue(runner.Globals.Json)) JsonOutput.Write(runner.Env.Out, result);
            else runner.Env.Out.MarkupLine($"job {Markup.Escape(jobId)}: ONNX model written to {Markup.Escape(result.Path)} ({result.Bytes} bytes)");
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record ModelFileResult(string JobId, string Path, long Bytes);
}
