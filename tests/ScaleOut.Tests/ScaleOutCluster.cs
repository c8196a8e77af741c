namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// Two replicas, A and B, on a fresh, empty PostgreSQL database (its own name per test, dropped afterwards) and one
/// Redis. They start together, so both run their migrations at once: EF's migration lock lets one apply them.
/// </summary>
public sealed class ScaleOutCluster : IAsyncDisposable
{
    public string Database { get; } = $"backprop_scaleout_{Guid.NewGuid():N}";
    public Replica A { get; private set; } = null!;
    public Replica B { get; private set; } = null!;

    public static async Task<ScaleOutCluster> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        Assert.True(ScaleOutServices.Missing is null, ScaleOutServices.Missing);
        var cluster = new ScaleOutCluster();
        try
        {
            await ScaleOutServices.CreateDatabaseAsync(cluster.Database);
            var a = Replica.StartAsync("replica-a", cluster.Database, settings);
            var b = Replica.StartAsync("replica-b", cluster.Database, settings);
            try
            {
                await Task.WhenAll(a, b);
            }
            finally
            {
                // Keep whichever started, so DisposeAsync stops it even when the other failed.
                if (a.IsCompletedSuccessfully) cluster.A = a.Result;
                if (b.IsCompletedSuccessfully) cluster.B = b.Result;
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public Replica Named(string name) => A.Name == name ? A : B.Name == name ? B : throw new ArgumentException($"No replica named '{name}'.");

    public Replica Other(Replica replica) => ReferenceEquals(replica, A) ? B : A;

    /// <summary>Both logs, for an assertion message.</summary>
    public string Logs => $"--- {A?.Name} ---\n{A?.Log}\n--- {B?.Name} ---\n{B?.Log}";

    public async ValueTask DisposeAsync()
    {
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        await ScaleOutServices.DropDatabaseAsync(Database);
    }
}
