using BackpropService.TestKit;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace BackpropService.Api.Tests.Training;

/// <summary>A client's hub mistake is logged once at Information without a stack trace, never as a server error.</summary>
public sealed class HubErrorLoggingTests
{
    [Fact]
    public async Task SubscribeToUnknownJobsLogsInformationWithoutStackTraces()
    {
        var capture = new CapturingLoggerProvider();
        await using var app = new BackpropApplication();
        await using var withCapture = app.WithWebHostBuilder(builder => builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(capture);
            logging.AddFilter<CapturingLoggerProvider>("BackpropService", LogLevel.Information);
        }));
        await using var connection = await InMemoryHub.ConnectAsync(withCapture.Server);

        const int calls = 25;
        for (var i = 0; i < calls; i++)
        {
            var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<object>("Subscribe", $"no-such-job-{i}"));
            Assert.Contains("does not exist", error.Message);
        }

        var refusals = capture.Entries.Where(e => e.Message.StartsWith("Hub Subscribe refused", StringComparison.Ordinal)).ToList();
        Assert.Equal(calls, refusals.Count);
        Assert.All(refusals, e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.All(refusals, e => Assert.Null(e.Exception));
        Assert.DoesNotContain(capture.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(capture.Entries, e => e.Exception is not null);
    }


    private sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose() { }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                provider.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
        }
    }
}
