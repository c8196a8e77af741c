using System.CommandLine;
using System.Globalization;
using BackpropService.Cli.Output;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop history ID [--csv]</c>: a job's cost per epoch (a sample as a table, or every epoch as CSV or JSON).</summary>
public static class HistoryCommand
{
    private const int TableRows = 20;

    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job's id" };
        var csv = new Option<bool>("--csv") { Description = "Every epoch as CSV: epoch,cost,validationCost" };
        var command = new Command("history", "A job's cost per epoch") { id, csv };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var env = runner.Env;
            var points = client.GetHistoryAsync(parse.GetRequiredValue(id), ct: ct);
            if (parse.GetValue(csv))
            {
                JsonOutput.Line(env.Out, "epoch,cost,validationCost");
                await foreach (var p in points) JsonOutput.Line(env.Out, $"{p.Epoch},{Number(p.Cost)},{Number(p.ValidationCost)}");
                return ExitCodes.Success;
            }
            var all = await points.ToListAsync(ct);
            if (parse.GetValue(runner.Globals.Json))
            {
                JsonOutput.Write(env.Out, all);
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("Epoch", "Cost", "Validation cost");
            foreach (var p in Sample(all)) table.AddRow(p.Epoch.ToString(CultureInfo.InvariantCulture), Number(p.Cost), Number(p.ValidationCost));
            table.Caption($"{all.Count} epochs; --csv prints every one");
            env.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    /// <summary>At most <see cref="TableRows"/> evenly spaced epochs, always the first and the last.</summary>
    private static IEnumerable<EpochPoint> Sample(List<EpochPoint> points) =>
        points.Count <= TableRows
            ? points
            : Enumerable.Range(0, TableRows).Select(i => points[(int)Math.Round(i * (points.Count - 1) / (double)(TableRows - 1))]);
}
