using System.CommandLine;
using BackpropService.Cli.Commands;
using Spectre.Console;

namespace BackpropService.Cli;

/// <summary>The <c>backprop</c> command line: parses, runs one command, returns its exit code (<see cref="ExitCodes"/>).</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment env)
    {
        var globals = new GlobalOptions();
        var runner = new CommandRunner(globals, env);
        var root = new RootCommand("backprop: train networks on BackpropService and follow them live");
        globals.AddTo(root);
        root.Subcommands.Add(TrainCommand.Create(runner));
        root.Subcommands.Add(JobsCommand.Create(runner));
        root.Subcommands.Add(WatchCommand.Create(runner));
        root.Subcommands.Add(HistoryCommand.Create(runner));
        root.Subcommands.Add(PredictCommand.Create(runner));
        root.Subcommands.Add(CancelCommand.Create(runner));
        root.Subcommands.Add(ExportCommand.Create(runner));
        root.Subcommands.Add(DeleteCommand.Create(runner));
        root.Subcommands.Add(EditCommand.Create(runner));
        root.Subcommands.Add(SweepCommand.Create(runner));
        root.Subcommands.Add(SweepsCommand.Create(runner));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) env.Error.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
            env.Error.MarkupLine("Run [bold]backprop --help[/] for usage.");
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration
        {
            Output = env.Out.Profile.Out.Writer,
            Error = env.Error.Profile.Out.Writer,
            // Ctrl+C is the commands' business (Interrupts): train asks whether to cancel the job or detach.
            ProcessTerminationTimeout = null,
        });
    }
}
