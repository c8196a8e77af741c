using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BackpropService.Api.Tests.Observability;

public sealed class JobLogScopeTests
{
    [Fact]
    public async Task EveryLineAJobWritesCarriesItsJobId()
    {
        var capture = new CapturingLoggerProvider();
        await using var app = new BackpropApplication();
        await using var withCapture = app.WithWebHostBuilder(builder => builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(capture);
            // EF Core's command lines come from inside the job's task: they must carry the scope too.
            logging.AddFilter<CapturingLoggerProvider>("BackpropService.Api.Training", LogLevel.Information);
            logging.AddFilter<CapturingLoggerProvider>("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information);
        }));
        using var client = withCapture.CreateClient();
        var (network, dataset) = await client.CreateXorAsync();
        var job = await client.CreateJobAsync(network, dataset, epochs: 300);
        await client.WaitForStatusAsync(job, "succeeded");

        var claimed = Assert.Single(capture.Entries, e => e.Message.StartsWith($"Claimed job {job}", StringComparison.Ordinal));
        Assert.Equal(job, claimed.JobId);
        // The flushes' lease renewals update the job's row with its progress: every one ran in the job's scope.
        var flushes = capture.Entries.Where(e => e.Message.Contains("\"EpochsCompleted\" = ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(flushes);
        Assert.All(flushes, e => Assert.Equal(job, e.JobId));
    }

    private sealed record Entry(string Category, string Message, string? JobId);

    /// <summary>Keeps every line with the JobId of the innermost scope that has one.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                string? jobId = null;
                provider._scopes.ForEachScope((scope, _) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> values)
                        foreach (var (key, value) in values)
                            if (key == "JobId") jobId = value?.ToString();
                }, (object?)null);
                provider.Entries.Enqueue(new Entry(category, formatter(state, exception), jobId));
            }
        }
    }
}
