using System.CommandLine;
using BackpropService.Cli.Input;
using BackpropService.Cli.Output;
using BackpropService.Client;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop train</c>: uploads a network file and a CSV, submits a job and follows it to the end.</summary>
public static class TrainCommand
{
    public static Command Create(CommandRunner runner)
    {
        var options = new JobOptions(filesRequired: true);
        var command = new Command("train", "Train a network on a CSV file and show its progress live");
        options.AddTo(command);
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var env = runner.Env;
            var json = parse.GetValue(runner.Globals.Json);
            // Option mistakes are found before anything is uploaded.
            var settings = options.Settings(parse);
            var definition = options.ReadNetwork(parse)!.Value;
            var data = options.ReadData(parse)!.Value;

            var createdNetwork = await client.CreateNetworkAsync(definition, ct);
            var dataset = await JobOptions.UploadAsync(client, data, ct);
            // Ctrl+C during the submission must not lose the job's id: the submission finishes (or times out), and
            // an interrupt that came meanwhile is answered as soon as following starts (cancel or detach).
            using var submitting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var job = await client.CreateJobAsync(settings with { NetworkId = createdNetwork.Id, DatasetId = dataset.Id }, ct: submitting.Token);
            if (!json)
                env.Out.MarkupLine($"training [bold]{Markup.Escape(createdNetwork.Name)}[/] on {Markup.Escape(dataset.Name)} ({dataset.Rows} rows): job {Markup.Escape(job.Id)}");

            Job finished;
            try
            {
                finished = await TrainingProgress.FollowAsync(client, job, env.Out, live: !json, ct);
            }
            catch (OperationCanceledException) when (env.Interrupts.Token.IsCancellationRequested)
            {
                return await CancelOrDetachAsync(client, job.Id, env, json);
            }
            if (json)
            {
                JsonOutput.Write(env.Out, finished);
                return finished.Status == JobStatus.Succeeded ? ExitCodes.Success : ExitCodes.JobFailed;
            }
            return TrainingProgress.Summarise(finished, env.Out);
        });
        return command;
    }

    /// <summary>Ctrl+C while training: on a terminal, ask; otherwise detach (the job keeps training on the service).</summary>
    private static async Task<int> CancelOrDetachAsync(BackpropClient client, string jobId, CliEnvironment env, bool json)
    {
        var cancel = DetachOrCancel.AskToCancel(env, json, $"Stop following job {Markup.Escape(jobId)}: detach (it keeps training) or cancel it?");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (cancel)
        {
            var cancelled = await client.CancelJobAsync(jobId, timeout.Token);
            env.Out.MarkupLine($"[yellow]cancelled[/] job {Markup.Escape(jobId)} at epoch {cancelled.EpochsCompleted}");
            return ExitCodes.JobFailed;
        }
        if (json) JsonOutput.Write(env.Out, await client.GetJobAsync(jobId, timeout.Token));
        else env.Out.MarkupLine($"detached: job {Markup.Escape(jobId)} keeps training; follow it with [bold]backprop watch {Markup.Escape(jobId)}[/]");
        return ExitCodes.Success;
    }
}
