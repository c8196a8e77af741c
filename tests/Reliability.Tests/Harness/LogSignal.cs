using Microsoft.Extensions.Logging;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>A logger provider for an in-process service that completes <see cref="Logged"/> when a message containing <paramref name="text"/> is logged.</summary>
public sealed class LogSignal(string text) : ILoggerProvider
{
    private readonly string _text = text;
    private readonly TaskCompletionSource<string> _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Logged => _logged.Task;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(LogSignal signal) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (message.Contains(signal._text, StringComparison.Ordinal)) signal._logged.TrySetResult(message);
        }
    }
}
