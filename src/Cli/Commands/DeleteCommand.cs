using System.CommandLine;
using BackpropService.Cli.Output;
using BackpropService.Client;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop delete job|network|dataset ID</c>: deletes one resource (a 409 while it is in use).</summary>
public static class DeleteCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("delete", "Delete a job, network or dataset");
        command.Subcommands.Add(Kind(runner, "job", "Delete a finished job with its history and weights (cancel a queued or running one first)", (c, id, ct) => c.DeleteJobAsync(id, ct)));
        command.Subcommands.Add(Kind(runner, "network", "Delete a network and the finished jobs trained on it", (c, id, ct) => c.DeleteNetworkAsync(id, ct)));
        command.Subcommands.Add(Kind(runner, "dataset", "Delete a dataset and the finished jobs trained on it", (c, id, ct) => c.DeleteDatasetAsync(id, ct)));
        return command;
    }

    private static Command Kind(CommandRunner runner, string kind, string description, Func<BackpropClient, string, CancellationToken, Task> delete)
    {
        var id = new Argument<string>("id") { Description = $"The {kind}'s id" };
        var command = new Command(kind, description) { id };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var value = parse.GetRequiredValue(id);
            await delete(client, value, ct);
            if (parse.GetValue(runner.Globals.Json)) JsonOutput.Write(runner.Env.Out, new { deleted = kind, id = value });
            else runner.Env.Out.MarkupLine($"{kind} {Markup.Escape(value)} deleted");
            return ExitCodes.Success;
        });
        return command;
    }
}
