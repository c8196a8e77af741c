using System.CommandLine;
using BackpropService.Cli.Output;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop watch ID</c>: follows a job to its end (with --json, one line per epoch).</summary>
public static class WatchCommand
{
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var command = new Command("watch", "Follow a job live until it ends") { id };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var job = await client.GetJobAsync(parse.GetRequiredValue(id), ct);
            if (!parse.GetValue(runner.Globals.Json))
                return TrainingProgress.Summarise(await TrainingProgress.FollowAsync(client, job, runner.Env.Out, live: true, ct), runner.Env.Out);
            await foreach (var point in client.WatchAsync(job.Id, ct)) JsonOutput.Write(runner.Env.Out, point);
            var finished = await client.GetJobAsync(job.Id, ct);
            return finished.Status == JobStatus.Succeeded ? ExitCodes.Success : ExitCodes.JobFailed;
        });
        return command;
    }
}
