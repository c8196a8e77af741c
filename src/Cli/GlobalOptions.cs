using System.CommandLine;
using BackpropService.Client;

namespace BackpropService.Cli;

/// <summary>The options every command takes: where the service is, the API key, JSON output, and stack traces.</summary>
public sealed class GlobalOptions
{
    public const string DefaultUrl = "http://localhost:5000";

    public Option<string?> Url { get; } = new("--url") { Description = $"The service's address (else BACKPROP_URL, else {DefaultUrl})", Recursive = true };
    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "The API key (else BACKPROP_API_KEY)", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts instead of tables and progress", Recursive = true };
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Print stack traces of errors", Recursive = true };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(Json);
        root.Options.Add(Verbose);
    }

    /// <summary>The address to use; a malformed one is a usage error.</summary>
    public Uri ServiceUrl(ParseResult parse, CliEnvironment env)
    {
        var text = parse.GetValue(Url) ?? env.Variable("BACKPROP_URL") ?? DefaultUrl;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new UsageException($"--url: '{text}' is not an http:// or https:// address.");
    }

    public BackpropClient CreateClient(ParseResult parse, CliEnvironment env)
    {
        var options = new BackpropClientOptions
        {
            BaseAddress = ServiceUrl(parse, env),
            ApiKey = parse.GetValue(ApiKey) ?? env.Variable("BACKPROP_API_KEY"),
            // A person is waiting: give up on an absent service after about a second and a half.
            MaxRetryAttempts = 3,
            RetryDelay = TimeSpan.FromMilliseconds(200),
            Timeout = TimeSpan.FromSeconds(30),
            ConfigureHub = env.ConfigureHub,
        };
        return env.Handler is { } handler ? new BackpropClient(options, handler()) : new BackpropClient(options);
    }
}
