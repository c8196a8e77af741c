using System.CommandLine;
using System.Text.Json;
using BackpropService.Cli.Input;
using BackpropService.Cli.Output;
using BackpropService.Client;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary>
/// <c>backprop sweep</c>: submits a sweep (a <c>--file</c> and/or train's flags with <c>--vary FIELD=V1,V2</c> for the
/// grid) and follows it with a live leaderboard to the best trial; <c>sweep show|watch|cancel ID</c> act on one.
/// </summary>
public static class SweepCommand
{
    public static Command Create(CommandRunner runner)
    {
        var job = new JobOptions(filesRequired: false);
        var file = new Option<string?>("--file") { Description = "The sweep as JSON ({ \"base\": ..., \"grid\": ..., \"random\": ... }, see docs/API.md); flags override its members" };
        var vary = new Option<string[]>("--vary") { Description = $"A grid field and its values, {GridValues.Form} (repeat for more fields: every combination is a trial)" };
        var name = new Option<string?>("--name") { Description = "The sweep's name" };
        var metric = new Option<string?>("--metric") { Description = "What ranks the trials: cost, validationCost (lower is better), accuracy or validationAccuracy (higher is better)" };
        var maxConcurrent = new Option<int?>("--max-concurrent") { Description = "At most this many trials train at once" };
        var detach = new Option<bool>("--detach") { Description = "Print the sweep's id and return at once (follow it later with backprop sweep watch ID)" };
        var top = TopOption();

        var command = new Command("sweep", "Train many variants of a job (a grid and/or random draws) and rank them live");
        job.AddTo(command);
        foreach (var option in new Option[] { file, vary, name, metric, maxConcurrent, detach, top }) command.Options.Add(option);
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var env = runner.Env;
            var json = parse.GetValue(runner.Globals.Json);
            // Every local mistake (flags, files) is found before anything is uploaded.
            var settings = job.Settings(parse);
            var grid = GridValues.ParseAll(parse.GetValue(vary) ?? []);
            var sweepFile = parse.GetValue(file) is { } path ? InputFiles.ReadSweep(path) : null;
            var network = job.ReadNetwork(parse);
            var data = job.ReadData(parse);
            var request = SweepInput.Merge(sweepFile, settings, grid, parse.GetValue(name), parse.GetValue(metric), parse.GetValue(maxConcurrent),
                uploading: network is not null || data is not null);

            var networkId = network is { } definition ? (await client.CreateNetworkAsync(definition, ct)).Id : null;
            var datasetId = data is { } csv ? (await JobOptions.UploadAsync(client, csv, ct)).Id : null;
            SweepInput.UseUploaded(request, networkId, datasetId);
            // As in train: Ctrl+C during the submission must not lose the sweep's id.
            using var submitting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var sweep = await client.CreateSweepAsync(JsonSerializer.SerializeToElement(request), ct: submitting.Token);
            if (parse.GetValue(detach))
            {
                if (json) JsonOutput.Write(env.Out, sweep);
                else env.Out.MarkupLine($"sweep {Markup.Escape(sweep.Id)}: {sweep.Trials.Total} trials queued; follow it with [bold]backprop sweep watch {Markup.Escape(sweep.Id)}[/]");
                return ExitCodes.Success;
            }
            if (!json) env.Out.MarkupLine($"sweep [bold]{Markup.Escape(sweep.Name)}[/]: {sweep.Trials.Total} trials, ranked by {Markup.Escape(sweep.Metric)}: sweep {Markup.Escape(sweep.Id)}");
            return await FollowAsync(client, sweep, env, json, parse.GetValue(top), ct);
        });
        command.Subcommands.Add(SweepSubcommands.Show(runner, TopOption()));
        command.Subcommands.Add(SweepSubcommands.Watch(runner, TopOption()));
        command.Subcommands.Add(SweepSubcommands.Cancel(runner));
        return command;
    }

    public static Option<int> TopOption() => new("--top") { Description = "How many trials of the leaderboard to show, best first", DefaultValueFactory = _ => 10 };

    /// <summary>Follows the sweep to its end and reports it: the final leaderboard (when it was not live), the outcome and the best trial; Ctrl+C detaches or cancels.</summary>
    public static async Task<int> FollowAsync(BackpropClient client, Sweep sweep, CliEnvironment env, bool json, int top, CancellationToken ct)
    {
        Sweep ended;
        try
        {
            ended = await SweepProgress.FollowAsync(client, sweep, env.Out, top, live: !json, ct);
        }
        catch (OperationCanceledException) when (env.Interrupts.Token.IsCancellationRequested)
        {
            return await CancelOrDetachAsync(client, sweep.Id, env, json);
        }
        if (json)
        {
            JsonOutput.Write(env.Out, ended);
            return ended.Status == SweepStatus.Succeeded ? ExitCodes.Success : ExitCodes.JobFailed;
        }
        if (!env.Out.Profile.Capabilities.Interactive)
            env.Out.Write(Leaderboard.Table(ended, (await client.GetSweepTrialsAsync(ended.Id, top, ct: ct)).Items));
        return Leaderboard.Summarise(ended, env.Out);
    }

    private static async Task<int> CancelOrDetachAsync(BackpropClient client, string sweepId, CliEnvironment env, bool json)
    {
        var cancel = DetachOrCancel.AskToCancel(env, json, $"Stop following sweep {Markup.Escape(sweepId)}: detach (its trials keep training) or cancel it?");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (cancel)
        {
            var cancelled = await client.CancelSweepAsync(sweepId, timeout.Token);
            env.Out.MarkupLine($"[yellow]cancelled[/] sweep {Markup.Escape(sweepId)}: {Markup.Escape(Leaderboard.Counts(cancelled))}");
            return ExitCodes.JobFailed;
        }
        if (json) JsonOutput.Write(env.Out, await client.GetSweepAsync(sweepId, timeout.Token));
        else env.Out.MarkupLine($"detached: sweep {Markup.Escape(sweepId)} keeps running; follow it with [bold]backprop sweep watch {Markup.Escape(sweepId)}[/]");
        return ExitCodes.Success;
    }
}
