using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence.Tests;

/// <summary>
/// The factory's contexts come from a pool: what one user of a context set (an owner filter, a save handler, tracked
/// rows) must not reach the next one.
/// </summary>
public sealed class PooledContextTests
{
    [Fact]
    public void ARentedContextIsTheReturnedOneWithNoOwnerFilterNoSaveHandlerAndNothingTracked()
    {
        using var database = new TemporaryDatabase();
        using (var seed = database.CreateContext())
        {
            seed.AddRange(Network("n-alice", "alice"), Network("n-bob", "bob"));
            seed.SaveChanges();
        }

        var stamped = 0;
        BackpropDbContext first;
        using (first = database.CreateContext())
        {
            first.OwnerFilter = "alice";
            first.SavingChanges += (_, _) => stamped++;
            Assert.Equal(["n-alice"], first.Networks.Select(n => n.Id).ToList());
            first.Networks.Single().Name = "changed, never saved";
        }

        using var next = database.CreateContext();
        Assert.Same(first, next); // the premise: the pool handed the same instance back
        Assert.Null(next.OwnerFilter);
        Assert.Empty(next.ChangeTracker.Entries());
        Assert.Equal(["n-alice", "n-bob"], next.Networks.OrderBy(n => n.Id).Select(n => n.Id).ToList());
        Assert.All(next.Networks.AsNoTracking(), n => Assert.Equal("xor", n.Name));
        next.Add(Network("n-carol", "carol"));
        next.SaveChanges();
        Assert.Equal(0, stamped);
    }

    [Fact]
    public void EachNativeConnectionIsSetUpOnItsFirstOpenOnly()
    {
        using var database = new TemporaryDatabase();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // one native connection from here on: the next open's
        using (var db = database.CreateContext())
        {
            db.Database.OpenConnection();
            Assert.Equal(2L, Scalar(db, "PRAGMA synchronous;"));
            // Changed behind the setup's back: a later open of the same pooled native connection keeps it, which shows
            // that the setup ran once for it (the service itself never changes these settings).
            Scalar(db, "PRAGMA synchronous = NORMAL;");
            db.Database.CloseConnection();
            db.Database.OpenConnection();
            Assert.Equal(1L, Scalar(db, "PRAGMA synchronous;"));
            db.Database.CloseConnection();
        }

        // A new native connection (the pool emptied) is set up again: FULL and the busy timeout.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using (var db = database.CreateContext())
        {
            db.Database.OpenConnection();
            Assert.Equal(2L, Scalar(db, "PRAGMA synchronous;"));
            Assert.Equal(10_000L, Scalar(db, "PRAGMA busy_timeout;"));
            db.Database.CloseConnection();
        }
    }

    private static object? Scalar(BackpropDbContext db, string sql)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static Network Network(string id, string owner) =>
        new() { Id = id, Name = "xor", Kind = "layers", GraphJson = "{}", Inputs = 2, Outputs = 1, ParameterCount = 9, CreatedAt = DateTime.UtcNow, Owner = owner };
}
