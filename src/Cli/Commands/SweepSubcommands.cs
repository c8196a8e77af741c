using System.CommandLine;
using BackpropService.Cli.Output;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop sweep show|watch|cancel ID</c>: one sweep's status and leaderboard, following it, cancelling it.</summary>
public static class SweepSubcommands
{
    public static Command Show(CommandRunner runner, Option<int> top)
    {
        var id = new Argument<string>("id") { Description = "The sweep's id" };
        var command = new Command("show", "A sweep's status, trial counts and leaderboard") { id, top };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var sweep = await client.GetSweepAsync(parse.GetRequiredValue(id), ct);
            var trials = await client.GetSweepTrialsAsync(sweep.Id, parse.GetValue(top), ct: ct);
            if (parse.GetValue(runner.Globals.Json))
            {
                JsonOutput.Write(runner.Env.Out, new { sweep, trials = trials.Items });
                return ExitCodes.Success;
            }
            var status = sweep.Status.ToString().ToLowerInvariant();
            runner.Env.Out.MarkupLine($"sweep {Markup.Escape(sweep.Id)} [bold]{Markup.Escape(sweep.Name)}[/]: {status}");
            runner.Env.Out.Write(Leaderboard.Table(sweep, trials.Items));
            if (sweep.Best is { } best)
                runner.Env.Out.MarkupLine($"best: job {Markup.Escape(best.JobId)}  {Markup.Escape(Leaderboard.Params(best.Params))}  {Markup.Escape(sweep.Metric)} {best.Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Watch(CommandRunner runner, Option<int> top)
    {
        var id = new Argument<string>("id") { Description = "The sweep's id" };
        var command = new Command("watch", "Follow a sweep's leaderboard live until it ends") { id, top };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var sweep = await client.GetSweepAsync(parse.GetRequiredValue(id), ct);
            return await SweepCommand.FollowAsync(client, sweep, runner.Env, parse.GetValue(runner.Globals.Json), parse.GetValue(top), ct);
        });
        return command;
    }

    public static Command Cancel(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The sweep's id" };
        var command = new Command("cancel", "Cancel every unfinished trial of a sweep") { id };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var sweep = await client.CancelSweepAsync(parse.GetRequiredValue(id), ct);
            if (parse.GetValue(runner.Globals.Json)) JsonOutput.Write(runner.Env.Out, sweep);
            else runner.Env.Out.MarkupLine($"sweep {Markup.Escape(sweep.Id)}: {sweep.Status.ToString().ToLowerInvariant()} ({Markup.Escape(Leaderboard.Counts(sweep))})");
            return ExitCodes.Success;
        });
        return command;
    }
}
