using Microsoft.AspNetCore.Http.Connections.Client;
using Spectre.Console;

namespace BackpropService.Cli;

/// <summary>
/// Everything a command touches outside itself: the two consoles, the environment variables, Ctrl+C, and (for tests
/// against an in-process service) where HTTP requests and the hub connection go.
/// </summary>
public sealed class CliEnvironment
{
    public required IAnsiConsole Out { get; init; }
    public required IAnsiConsole Error { get; init; }
    public required Func<string, string?> Variable { get; init; }
    /// <summary>Raised on Ctrl+C while a command runs.</summary>
    public required Interrupts Interrupts { get; init; }
    public Func<HttpMessageHandler>? Handler { get; init; }
    public Action<HttpConnectionOptions>? ConfigureHub { get; init; }

    /// <summary>The real terminal. Output that is redirected (a pipe, a file) gets no ANSI codes and no live display.</summary>
    public static CliEnvironment FromProcess() => new()
    {
        Out = Create(Console.Out, Console.IsOutputRedirected),
        Error = Create(Console.Error, Console.IsErrorRedirected),
        Variable = Environment.GetEnvironmentVariable,
        Interrupts = Interrupts.FromConsole(),
    };

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected || Console.IsInputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        // A file or a pipe has no width: never wrap a line there (a script greps for the job id).
        if (redirected) console.Profile.Width = RedirectedWidth;
        return console;
    }

    private const int RedirectedWidth = 4096;
}
