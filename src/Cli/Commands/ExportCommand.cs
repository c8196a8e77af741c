using System.CommandLine;
using BackpropService.Cli.Output;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop export ID -o model.onnx</c>: saves a job's trained network as an ONNX model.</summary>
public static class ExportCommand
{
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var output = new Option<string>("--output", "-o") { Description = "The file to write (default: the name the service suggests, NAME.onnx)" };
        var command = new Command("export", "Save a job's trained network as an ONNX model") { id, output };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var jobId = parse.GetRequiredValue(id);
            var path = parse.GetValue(output);
            ModelFileResult result;
            if (path is not null)
            {
                var model = await client.DownloadModelAsync(jobId, path, ct);
                result = new ModelFileResult(jobId, Path.GetFullPath(path), model.Length);
            }
            else
            {
                // The service's name is known only from its answer: download to memory, then write under that name.
                using var buffer = new MemoryStream();
                var model = await client.DownloadModelAsync(jobId, buffer, ct);
                var name = Path.GetFileName(model.SuggestedFileName) is { Length: > 0 } suggested ? suggested : $"{jobId}.onnx";
                await File.WriteAllBytesAsync(name, buffer.ToArray(), ct);
                result = new ModelFileResult(jobId, Path.GetFullPath(name), model.Length);
            }
            if (parse.GetValue(runner.Globals.Json)) JsonOutput.Write(runner.Env.Out, result);
            else runner.Env.Out.MarkupLine($"job {Markup.Escape(jobId)}: ONNX model written to {Markup.Escape(result.Path)} ({result.Bytes} bytes)");
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record ModelFileResult(string JobId, string Path, long Bytes);
}
