using System.Text.Json;
using BackpropService.Client;
using Spectre.Console;

namespace BackpropService.Cli.Output;

/// <summary>Plain lines straight to the console's writer: JSON and CSV must not be wrapped or marked up.</summary>
public static class JsonOutput
{
    public static void Write<T>(IAnsiConsole console, T value) =>
        Line(console, JsonSerializer.Serialize(value, BackpropJson.Options));

    public static void Line(IAnsiConsole console, string text) => console.Profile.Out.Writer.WriteLine(text);
}
