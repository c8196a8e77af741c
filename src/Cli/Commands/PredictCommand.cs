using System.CommandLine;
using System.Globalization;
using BackpropService.Cli.Output;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop predict ID --input "0,1" [--input "1,1"]</c>: the trained network's outputs for the given rows.</summary>
public static class PredictCommand
{
    public static Command Create(CommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The job whose weights to use" };
        var input = new Option<string[]>("--input") { Description = "One input row as comma-separated numbers (repeat for more rows)", Required = true };
        var command = new Command("predict", "Run a trained network on input rows") { id, input };
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var texts = parse.GetRequiredValue(input);
            var rows = texts.Select(Row).ToArray();
            var outputs = await client.PredictAsync(parse.GetRequiredValue(id), rows, ct);
            if (parse.GetValue(runner.Globals.Json))
            {
                JsonOutput.Write(runner.Env.Out, new { inputs = rows, outputs });
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("Input", "Output");
            for (var i = 0; i < rows.Length; i++)
                table.AddRow(Markup.Escape(string.Join(", ", rows[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)))),
                    string.Join(", ", outputs[i].Select(v => v?.ToString("G6", CultureInfo.InvariantCulture) ?? "null")));
            runner.Env.Out.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static double[] Row(string text) => text.Split(',').Select((part, column) =>
        double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new UsageException($"--input \"{text}\": value {column + 1} ('{part.Trim()}') is not a number.")).ToArray();
}
