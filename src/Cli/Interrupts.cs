namespace BackpropService.Cli;

/// <summary>Ctrl+C as an event a command can wait for, instead of the process ending.</summary>
public sealed class Interrupts
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled on the next Ctrl+C; <see cref="Reset"/> arms a fresh one.</summary>
    public CancellationToken Token => _current.Token;

    public void Raise() => _current.Cancel();

    public void Reset()
    {
        if (_current.IsCancellationRequested) _current = new CancellationTokenSource();
    }

    public static Interrupts FromConsole()
    {
        var interrupts = new Interrupts();
        Console.CancelKeyPress += (_, e) =>
        {
            // The running command decides (train asks: cancel the job or detach); the process does not just die.
            e.Cancel = true;
            interrupts.Raise();
        };
        return interrupts;
    }
}
