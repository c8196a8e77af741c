using System.Text.Json;
using BackpropService.Client;
using Spectre.Console;

namespace BackpropService.Cli.Output;

/// <summary>
/// Turns whatever stopped a command into its exit code and a readable message on standard error: an API problem as
/// its title, detail and each field error on its own line; no stack trace unless --verbose. With --json the same
/// facts go out as one JSON object.
/// </summary>
public static class ErrorReporter
{
    public static int Report(Exception error, Uri service, CliEnvironment env, bool json, bool verbose)
    {
        var (code, title, detail, fields) = error switch
        {
            UsageException usage => (ExitCodes.Usage, usage.Message, null, null),
            BackpropApiException api => (api.Status is >= 400 and < 500 and not 409 ? ExitCodes.Usage : ExitCodes.JobFailed, $"{api.Title} ({api.Status})", api.Detail, api.Errors),
            HttpRequestException http => (ExitCodes.Unreachable, $"cannot reach the service at {service}", http.Message, null),
            TimeoutException or TaskCanceledException => (ExitCodes.Unreachable, $"the service at {service} did not answer in time", null, null),
            _ => (ExitCodes.JobFailed, error.GetType().Name, error.Message, (IReadOnlyDictionary<string, string[]>?)null),
        };
        var console = env.Error;
        if (json)
        {
            var body = new { error = title, detail, errors = fields, exitCode = code };
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(body, BackpropJson.Options));
        }
        else
        {
            var lines = (fields ?? new Dictionary<string, string[]>()).SelectMany(f => f.Value.Select(message => (Field: f.Key, Message: message))).ToList();
            Write(console, $"[red]error:[/] {Markup.Escape(title)}");
            // A validation problem's detail often repeats its first field error; print that once.
            if (!string.IsNullOrWhiteSpace(detail) && !lines.Any(l => detail == $"{l.Field}: {l.Message}")) Write(console, Markup.Escape(detail));
            foreach (var (field, message) in lines) Write(console, $"  [yellow]{Markup.Escape(field)}[/]: {Markup.Escape(message)}");
        }
        if (verbose) console.WriteException(error);
        return code;
    }

    /// <summary>Coloured on a terminal; plain and never wrapped when redirected, so each message stays one line for grep.</summary>
    private static void Write(IAnsiConsole console, string markup)
    {
        if (console.Profile.Capabilities.Ansi) console.MarkupLine(markup);
        else console.Profile.Out.Writer.WriteLine(Markup.Remove(markup));
    }
}
