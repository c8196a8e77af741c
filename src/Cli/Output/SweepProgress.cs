using System.Diagnostics;
using BackpropService.Client;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Output;

/// <summary>
/// Follows a sweep to its end through <see cref="BackpropClient.WatchSweepAsync"/>: on a terminal a live leaderboard
/// (the top rows, re-read from <c>/trials</c> when the sweep's counts change, running trials' epochs from the
/// <c>trial</c> messages between); elsewhere silently. Returns the ended sweep.
/// </summary>
public static class SweepProgress
{
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(250);

    public static async Task<Sweep> FollowAsync(BackpropClient client, Sweep sweep, IAnsiConsole console, int top, bool live, CancellationToken ct)
    {
        if (!live || !console.Profile.Capabilities.Interactive)
        {
            await foreach (var _ in client.WatchSweepAsync(sweep.Id, ct)) { }
            return await client.GetSweepAsync(sweep.Id, ct);
        }
        var rows = (await client.GetSweepTrialsAsync(sweep.Id, top, ct: ct)).Items;
        var progress = new Dictionary<string, TrialUpdate>();
        await console.Live(Leaderboard.Table(sweep, rows)).AutoClear(false).StartAsync(async context =>
        {
            var redraw = Stopwatch.StartNew();
            var stale = false;
            await foreach (var update in client.WatchSweepAsync(sweep.Id, ct))
            {
                if (update is SweepUpdate.SweepChanged changed) (sweep, stale) = (changed.Sweep, true);
                else if (update is SweepUpdate.TrialChanged { Trial: var trial }) progress[trial.JobId] = trial;
                if (redraw.Elapsed < RedrawEvery) continue;
                redraw.Restart();
                if (stale) (rows, stale) = ((await client.GetSweepTrialsAsync(sweep.Id, top, ct: ct)).Items, false);
                context.UpdateTarget(Leaderboard.Table(sweep, rows, progress));
            }
            // The last word: the ended sweep and its final ranking.
            sweep = await client.GetSweepAsync(sweep.Id, ct);
            rows = (await client.GetSweepTrialsAsync(sweep.Id, top, ct: ct)).Items;
            context.UpdateTarget(Leaderboard.Table(sweep, rows));
        });
        return sweep;
    }
}
