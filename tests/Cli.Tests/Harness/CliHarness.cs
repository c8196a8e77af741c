using BackpropService.Api.Tests;
using BackpropService.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Spectre.Console.Testing;

namespace BackpropService.Cli.Tests.Harness;

/// <summary>
/// The service in-process and the <c>backprop</c> commands run against it with Spectre's TestConsole for standard
/// output and standard error, and a temporary folder for input files.
/// </summary>
public sealed class CliHarness : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("backprop-cli-").FullName;

    private CliHarness(BackpropApplication app) => App = app;

    public BackpropApplication App { get; }

    public Interrupts Interrupts { get; } = new();

    public string Url => App.Server.BaseAddress.ToString();

    public static CliHarness Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new BackpropApplication(settings: settings);
        _ = app.Server;
        return new CliHarness(app);
    }

    /// <summary>Writes a file into the temporary folder and returns its path.</summary>
    public string File(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(new TestConsole(), args);

    /// <summary>Runs one command; <c>--url</c> points at the in-process service unless the arguments give one.</summary>
    public async Task<CliResult> RunAsync(TestConsole console, params string[] args)
    {
        var error = new TestConsole();
        console.Profile.Width = 200;
        error.Profile.Width = 200;
        var server = App.Server;
        var env = new CliEnvironment
        {
            Out = console,
            Error = error,
            Variable = _ => null,
            Interrupts = Interrupts,
            Handler = args.Contains("--url") ? null : server.CreateHandler,
            ConfigureHub = ConfigureHub,
        };
        var withUrl = args.Contains("--url") ? args : [.. args, "--url", Url];
        var code = await CliApp.RunAsync(withUrl, env);
        return new CliResult(code, console.Output, error.Output);
    }

    /// <summary>A client on the same service, to check what the commands did.</summary>
    public BackpropClient Client() =>
        new(new BackpropClientOptions { BaseAddress = App.Server.BaseAddress, ConfigureHub = ConfigureHub }, App.Server.CreateHandler());

    /// <summary>The hub connection over the in-memory server's WebSockets.</summary>
    private void ConfigureHub(HttpConnectionOptions hub)
    {
        var server = App.Server;
        hub.Transports = HttpTransportType.WebSockets;
        hub.SkipNegotiation = true;
        hub.HttpMessageHandlerFactory = _ => server.CreateHandler();
        hub.WebSocketFactory = async (context, ct) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- out ---\n{Out}\n--- error ---\n{Error}";
}
