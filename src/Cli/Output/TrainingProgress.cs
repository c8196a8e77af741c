using System.Diagnostics;
using System.Globalization;
using BackpropService.Client;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Output;

/// <summary>
/// Follows a job to its end through <see cref="BackpropClient.WatchAsync"/>: on a terminal a live bar with epoch,
/// epochs/s, ETA, cost and a sparkline of the cost; elsewhere (redirected, --json) silently. Returns the finished job.
/// </summary>
public static class TrainingProgress
{
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(100);
    private const int SparklineWidth = 30;

    public static async Task<Job> FollowAsync(BackpropClient client, Job job, IAnsiConsole console, bool live, CancellationToken ct)
    {
        if (!live || !console.Profile.Capabilities.Interactive)
        {
            await foreach (var _ in client.WatchAsync(job.Id, ct)) { }
            return await client.GetJobAsync(job.Id, ct);
        }
        await console.Progress()
            .AutoClear(false)
            .Columns(new ProgressBarColumn(), new PercentageColumn(), new TaskDescriptionColumn { Alignment = Justify.Left })
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(0, job.Epochs, null, null, ""), maxValue: Math.Max(1, job.Epochs));
                var rate = new Rate();
                var sparkline = new Sparkline(SparklineWidth);
                // Sampled by epoch, not by redraw, so the sparkline shows the whole curve even of a job done in a blink.
                var stride = Math.Max(1, job.Epochs / SparklineWidth);
                var redraw = Stopwatch.StartNew();
                EpochPoint last = default;
                await foreach (var point in client.WatchAsync(job.Id, ct))
                {
                    last = point;
                    if (point.Epoch % stride == 0 && point.Cost is { } cost) sparkline.Add(cost);
                    if (redraw.Elapsed < RedrawEvery) continue;
                    redraw.Restart();
                    Show(task, point, job.Epochs, rate, sparkline);
                }
                if (last.Epoch > 0) Show(task, last, job.Epochs, rate, sparkline);
                task.StopTask();
            });
        return await client.GetJobAsync(job.Id, ct);
    }

    private static void Show(ProgressTask task, EpochPoint point, int total, Rate rate, Sparkline sparkline)
    {
        rate.Add(point.Epoch);
        task.Value = point.Epoch;
        task.Description = Describe(point.Epoch, total, rate, point.Cost, sparkline.ToString());
    }

    private static string Describe(int epoch, int total, Rate? rate, double? cost, string sparkline)
    {
        var perSecond = rate is { PerSecond: > 0 } ? rate.PerSecond.ToString("N0", CultureInfo.InvariantCulture) : "–";
        var eta = rate?.Remaining(epoch, total) is { } remaining ? remaining.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "–";
        var costText = cost is { } c ? c.ToString("G4", CultureInfo.InvariantCulture) : "–";
        return $"epoch {epoch.ToString(CultureInfo.InvariantCulture)}/{total.ToString(CultureInfo.InvariantCulture)}  {perSecond} epochs/s  ETA {eta}  cost {costText} [green]{Markup.Escape(sparkline)}[/]";
    }

    /// <summary>The last line: the outcome, the final cost and the job id; the exit code follows from the status.</summary>
    public static int Summarise(Job job, IAnsiConsole console)
    {
        var cost = job.Cost is { } c ? c.ToString("G6", CultureInfo.InvariantCulture) : "none";
        var validation = job.ValidationCost is { } v ? $"  validation cost {v.ToString("G6", CultureInfo.InvariantCulture)}" : "";
        var (colour, code) = job.Status == JobStatus.Succeeded ? ("green", ExitCodes.Success) : ("red", ExitCodes.JobFailed);
        console.MarkupLine($"[{colour}]{job.Status.ToString().ToLowerInvariant()}[/] after {job.EpochsCompleted} epochs  final cost {cost}{validation}  job {Markup.Escape(job.Id)}");
        if (job.StoppedEarly)
            console.MarkupLine($"stopped early: no improvement since epoch {job.BestEpoch}{(job.BestMetric is { } best ? $" (best {best.ToString("G6", CultureInfo.InvariantCulture)})" : "")}");
        if (job.Error is { } error) console.MarkupLine($"[red]{Markup.Escape(error)}[/]");
        return code;
    }
}
