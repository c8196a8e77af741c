using System.CommandLine;
using System.Globalization;
using BackpropService.Cli.Output;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop sweeps</c>: the newest sweeps as a table.</summary>
public static class SweepsCommand
{
    public static Command Create(CommandRunner runner)
    {
        var limit = new Option<int>("--limit") { Description = "How many sweeps, newest first", DefaultValueFactory = _ => 20 };
        var command = new Command("sweeps", "List sweeps, newest first") { limit };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var page = await client.ListSweepsAsync(parse.GetValue(limit), ct: ct);
            if (parse.GetValue(runner.Globals.Json))
            {
                JsonOutput.Write(runner.Env.Out, page.Items);
                return ExitCodes.Success;
            }
            if (page.Items.Count == 0)
            {
                runner.Env.Out.MarkupLine("no sweeps");
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("Sweep", "Name", "Status", "Trials", "Best", "Created (UTC)");
            table.Columns[0].NoWrap();
            foreach (var sweep in page.Items)
                table.AddRow(
                    Markup.Escape(sweep.Id),
                    Markup.Escape(sweep.Name),
                    sweep.Status.ToString().ToLowerInvariant(),
                    $"{sweep.Trials.Finished}/{sweep.Trials.Total}",
                    sweep.Best is { } best ? $"{Markup.Escape(sweep.Metric)} {best.Value.ToString("G4", CultureInfo.InvariantCulture)}" : "–",
                    sweep.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            runner.Env.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
