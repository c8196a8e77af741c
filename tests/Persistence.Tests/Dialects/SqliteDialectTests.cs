using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>How the SQLite dialect reads SQLite's errors (result codes: https://sqlite.org/rescode.html).</summary>
public sealed class SqliteDialectTests
{
    private static readonly IDatabaseDialect Dialect = DialectErrors.For(DatabaseProvider.Sqlite, "Data Source=unused.db");

    [Theory]
    [InlineData(5, 5, "the database is locked by another writer")] // SQLITE_BUSY
    [InlineData(6, 6, "the database is locked by another writer")] // SQLITE_LOCKED
    [InlineData(13, 13, "the database or disk is full")] // SQLITE_FULL
    [InlineData(10, 778, "the database reported an I/O error")] // SQLITE_IOERR_WRITE
    [InlineData(14, 14, "the database file cannot be opened")] // SQLITE_CANTOPEN
    public void BusyLockedFullIoAndCantOpenAreStorageFaultsWithAReasonAUserCanActOn(int code, int extended, string reason)
        => DialectErrors.AssertFault(Dialect, new SqliteException("SQLite Error", code, extended), reason);

    [Theory]
    [InlineData(19, 2067)] // SQLITE_CONSTRAINT_UNIQUE
    [InlineData(19, 1555)] // SQLITE_CONSTRAINT_PRIMARYKEY
    public void UniqueAndPrimaryKeyViolationsAreUniqueViolationsNotFaults(int code, int extended)
    {
        var violation = DialectErrors.Wrapped(new SqliteException("SQLite Error 19", code, extended));
        Assert.True(Dialect.IsUniqueViolation(violation));
        Assert.Null(Dialect.FindFault(violation));
    }

    [Fact]
    public void AForeignKeyViolationIsRecognisedAndIsNotAUniqueViolation()
    {
        var violation = DialectErrors.Wrapped(new SqliteException("SQLite Error 19", 19, 787)); // SQLITE_CONSTRAINT_FOREIGNKEY
        Assert.True(Dialect.IsForeignKeyViolation(violation));
        Assert.False(Dialect.IsForeignKeyViolation(DialectErrors.Wrapped(new SqliteException("SQLite Error 19", 19, 2067))));
        Assert.False(Dialect.IsForeignKeyViolation(DialectErrors.Wrapped(new PostgresException("fk", "ERROR", "ERROR", PostgresErrorCodes.ForeignKeyViolation))));
    }

    [Fact]
    public void OtherErrorsAreNeitherFaultsNorUniqueViolations()
    {
        DialectErrors.AssertNeitherFaultsNorUniqueViolations(Dialect,
            DialectErrors.Wrapped(new SqliteException("SQLite Error 19", 19, 787)), // SQLITE_CONSTRAINT_FOREIGNKEY: the request's fault
            DialectErrors.Wrapped(new SqliteException("SQLite Error 1", 1, 1)), // SQLITE_ERROR: a bug in a statement
            new InvalidOperationException("not a database error"),
            // Another engine's unique violation is not this dialect's business.
            DialectErrors.Wrapped(new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
    }

    [Fact]
    public void ARealDuplicateInsertIsAUniqueViolation()
    {
        using var database = new TemporaryDatabase();
        using var db = database.CreateContext();
        db.Networks.Add(new Network { Id = "n1", Name = "a", Kind = "layers", GraphJson = "{}", CreatedAt = DateTime.UtcNow });
        db.SaveChanges();
        using var again = database.CreateContext();
        again.Networks.Add(new Network { Id = "n1", Name = "b", Kind = "layers", GraphJson = "{}", CreatedAt = DateTime.UtcNow });
        var error = Assert.Throws<DbUpdateException>(() => again.SaveChanges());
        Assert.True(database.Dialect.IsUniqueViolation(error));
        Assert.Null(database.Dialect.FindFault(error));
    }
}
