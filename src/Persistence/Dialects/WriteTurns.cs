using Microsoft.Data.Sqlite;

namespace BackpropService.Persistence.Dialects;

/// <summary>
/// This process's writers of one SQLite file, one at a time, as SQLite allows: a writer takes its turn here before
/// it begins its transaction, and the next one goes as soon as it ends.
/// </summary>
/// <remarks>
/// Why: a writer that finds SQLite's write lock taken waits in SQLite's busy handler, which sleeps 1, 2, 5, 10… ms
/// between tries however soon the lock frees. A sweep's trials met it about once each (the worker's claim against the
/// previous trial's end commit, both a fraction of a millisecond long), and each such sleep left a training slot idle
/// (docs/performance.md, "write turns"). Writers of other processes on the same file still meet the busy handler.
/// </remarks>
internal sealed class WriteTurns(TimeSpan timeout)
{
    private const int SqliteBusy = 5;

    private readonly SemaphoreSlim _turn = new(1, 1);

    /// <summary>Waits for the turn (at most the busy timeout, then fails as a busy database does); dispose to pass it on.</summary>
    public async Task<WriteTurn> TakeAsync(CancellationToken ct)
    {
        if (!await _turn.WaitAsync(timeout, ct))
            throw new SqliteException($"database is locked: this service's other writes held it for {timeout.TotalSeconds:0} s", SqliteBusy);
        return new WriteTurn(_turn);
    }
}

/// <summary>A writer's turn (<see cref="WriteTurns"/>); passed on once, however often it is passed or disposed.</summary>
public sealed class WriteTurn : IAsyncDisposable
{
    private readonly SemaphoreSlim _turns;
    private int _passed;

    internal WriteTurn(SemaphoreSlim turns) => _turns = turns;

    public void Pass()
    {
        if (Interlocked.Exchange(ref _passed, 1) == 0) _turns.Release();
    }

    public ValueTask DisposeAsync()
    {
        Pass();
        return ValueTask.CompletedTask;
    }
}
