using System.CommandLine;
using BackpropService.Cli.Output;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop cancel ID</c>: cancels a queued or running job.</summary>
public static class CancelCommand
{
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var command = new Command("cancel", "Cancel a queued or running job") { id };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var job = await client.CancelJobAsync(parse.GetRequiredValue(id), ct);
            if (parse.GetValue(runner.Globals.Json)) JsonOutput.Write(runner.Env.Out, job);
            else runner.Env.Out.MarkupLine($"job {Markup.Escape(job.Id)}: cancel requested ({job.Status.ToString().ToLowerInvariant()} at epoch {job.EpochsCompleted})");
            return ExitCodes.Success;
        });
        return command;
    }
}
