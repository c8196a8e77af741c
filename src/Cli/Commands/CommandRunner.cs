using System.CommandLine;
using BackpropService.Cli.Output;
using BackpropService.Client;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary>
/// Runs a command's body with a client for the chosen service, Ctrl+C wired to its token, and every failure turned
/// into a message and an exit code by <see cref="ErrorReporter"/>.
/// </summary>
public sealed class CommandRunner(GlobalOptions globals, CliEnvironment env)
{
    public GlobalOptions Globals => globals;
    public CliEnvironment Env => env;

    public void SetAction(Command command, Func<ParseResult, BackpropClient, CancellationToken, Task<int>> body) =>
        command.SetAction((parse, ct) => RunAsync(parse, body, ct));

    private async Task<int> RunAsync(ParseResult parse, Func<ParseResult, BackpropClient, CancellationToken, Task<int>> body, CancellationToken ct)
    {
        var json = parse.GetValue(globals.Json);
        var verbose = parse.GetValue(globals.Verbose);
        Uri service = new(GlobalOptions.DefaultUrl);
        try
        {
            service = globals.ServiceUrl(parse, env);
            using var client = globals.CreateClient(parse, env);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, env.Interrupts.Token);
            return await body(parse, client, linked.Token);
        }
        catch (OperationCanceledException) when (env.Interrupts.Token.IsCancellationRequested)
        {
            env.Error.MarkupLine("[yellow]interrupted[/]");
            return ExitCodes.Interrupted;
        }
        catch (Exception error)
        {
            return ErrorReporter.Report(error, service, env, json, verbose);
        }
    }
}
