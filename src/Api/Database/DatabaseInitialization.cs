using BackpropService.Persistence;

namespace BackpropService.Api.Database;

/// <summary>
/// Prepares the database (migrations, then the engine's file settings) on a thread of its own, started by
/// <see cref="Start"/> as soon as the services are built, while Program.cs maps the endpoints and the middleware.
/// As the first hosted service it holds every later one back until it has finished: the worker's lease release and
/// first claim, the metrics sampler and Kestrel all start on a migrated database, so /health 200 still means ready,
/// and a failure stops the start as it did when the preparation ran inline.
/// </summary>
public sealed class DatabaseInitialization(IServiceProvider services) : IHostedService
{
    private Task? _done;

    public void Start() => _done ??= Task.Run(services.InitializeDatabase);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        return _done!.WaitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
