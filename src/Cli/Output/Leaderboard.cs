using System.Globalization;
using System.Text.Json;
using BackpropService.Client.Models;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BackpropService.Cli.Output;

/// <summary>
/// A sweep's leaderboard as a table (rank, one column per varied field, status, epochs, value, trial) with its counts
/// as the caption, and the lines that end a sweep: its outcome and the best trial's params and value.
/// </summary>
public static class Leaderboard
{
    /// <param name="progress">The latest <c>trial</c> message of each trial, newer than the rows for a running one.</param>
    public static IRenderable Table(Sweep sweep, IReadOnlyList<SweepTrial> rows, IReadOnlyDictionary<string, TrialUpdate>? progress = null)
    {
        var fields = rows.SelectMany(r => r.Params.Keys).Distinct().ToList();
        // The trial's id comes last and alone may wrap: on a narrow terminal the numbers stay on one line each.
        var table = new Table().AddColumn("#");
        foreach (var field in fields) table.AddColumn(Markup.Escape(field));
        table.AddColumns("Status", "Epochs", Markup.Escape(sweep.Metric));
        foreach (var column in table.Columns) column.NoWrap();
        table.AddColumn("Trial");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (status, epochs) = progress is not null && progress.TryGetValue(row.JobId, out var latest) && latest.EpochsCompleted >= row.EpochsCompleted
                ? (latest.Status, latest.EpochsCompleted)
                : (row.Status, row.EpochsCompleted);
            var cells = new List<string> { Ended(row.Status) ? (i + 1).ToString(CultureInfo.InvariantCulture) : "" };
            cells.AddRange(fields.Select(f => row.Params.TryGetValue(f, out var value) ? Markup.Escape(Text(value)) : ""));
            cells.AddRange([Status(status), epochs.ToString(CultureInfo.InvariantCulture), Number(row.Value), Markup.Escape(row.JobId)]);
            table.AddRow(cells.ToArray());
        }
        table.Caption(Markup.Escape(Counts(sweep)));
        return table;
    }

    /// <summary><c>4 trials: 2 succeeded, 1 running, 1 queued; cost, lower is better</c>.</summary>
    public static string Counts(Sweep sweep)
    {
        var t = sweep.Trials;
        var parts = new[] { (t.Succeeded, "succeeded"), (t.Failed, "failed"), (t.Cancelled, "cancelled"), (t.Running, "running"), (t.Queued, "queued") }
            .Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}");
        return $"{t.Total} trials: {string.Join(", ", parts)}; {sweep.Metric}, {(sweep.HigherIsBetter ? "higher" : "lower")} is better";
    }

    /// <summary>The outcome line and the best trial's; the exit code follows from the status (0 only for succeeded).</summary>
    public static int Summarise(Sweep sweep, IAnsiConsole console)
    {
        var (colour, code) = sweep.Status == SweepStatus.Succeeded ? ("green", ExitCodes.Success) : ("red", ExitCodes.JobFailed);
        console.MarkupLine($"[{colour}]{sweep.Status.ToString().ToLowerInvariant()}[/]: {Markup.Escape(Counts(sweep))}  sweep {Markup.Escape(sweep.Id)}");
        if (sweep.Best is { } best)
            console.MarkupLine($"best: job {Markup.Escape(best.JobId)}  {Markup.Escape(Params(best.Params))}  {Markup.Escape(sweep.Metric)} {Number(best.Value)}");
        else
            console.MarkupLine("best: none (no trial succeeded with a value)");
        return code;
    }

    /// <summary><c>learningRate=0.5 seed=2</c>, in the order the service gave them.</summary>
    public static string Params(IReadOnlyDictionary<string, JsonElement> values) =>
        string.Join(" ", values.Select(p => $"{p.Key}={Text(p.Value)}"));

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string Number(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "–";

    private static bool Ended(JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Cancelled;

    private static string Status(JobStatus status) => status switch
    {
        JobStatus.Succeeded => "[green]succeeded[/]",
        JobStatus.Failed => "[red]failed[/]",
        JobStatus.Cancelled => "[yellow]cancelled[/]",
        _ => status.ToString().ToLowerInvariant(),
    };
}
