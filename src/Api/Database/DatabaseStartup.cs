using BackpropService.Persistence;

namespace BackpropService.Api.Database;

/// <summary>
/// The database's preparation at start (migrations, then the engine's file settings), run on the thread pool beside
/// the rest of the start-up (the pipeline, the hosted services, the server) instead of before it: on two cores that
/// took start → <c>/health</c> from ~1.45 to ~1.15 s (docs/performance.md, "session 12"). What needs the database at
/// start waits for <see cref="Ready"/>: requests (<see cref="DatabaseStartupExtensions.UseDatabaseReady"/>), the
/// worker's first claim and the background services' first queries. The host's start completes only once the
/// preparation has (the worker's start waits for it), and fails with its error.
/// </summary>
/// <param name="prepare">Starts the preparation (<see cref="PersistenceServiceCollectionExtensions.InitializeDatabase"/> on the thread pool).</param>
public sealed class DatabaseStartup(Func<Task> prepare)
{
    private readonly Lazy<Task> _ready = new(prepare);

    /// <summary>Completes when the database is prepared; faults with the preparation's error. Begins it if nothing has.</summary>
    public Task Ready => _ready.Value;

    /// <summary>Begins the preparation (once: later calls and <see cref="Ready"/> share it).</summary>
    public void Begin() => _ = _ready.Value;
}
