using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Database;

/// <summary>A 201/202 survives power loss: every SQLite connection the service writes through syncs each commit.</summary>
public sealed class DurableAcknowledgementTests
{
    private const long Full = 2; // PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA

    [Fact]
    public async Task TheRequestsContextAndTheWorkersContextsCommitWithSynchronousFull()
    {
        await using var app = new BackpropApplication();
        // The scoped context is the one POST /api/networks, /api/datasets and /api/jobs save through before answering.
        using (var scope = app.Services.CreateScope())
            Assert.Equal(Full, await SynchronousAsync(scope.ServiceProvider.GetRequiredService<BackpropDbContext>()));
        // The factory's contexts: the worker's claims, flushes, checkpoints and final states, and the hub's reads.
        await using var worker = await app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync();
        Assert.Equal(Full, await SynchronousAsync(worker));
    }

    private static async Task<long> SynchronousAsync(BackpropDbContext db)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA synchronous;";
            return (long)(await command.ExecuteScalarAsync())!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
