using BackpropService.Persistence.Dialects;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>
/// How the PostgreSQL dialect reads PostgreSQL's errors (SQLSTATE codes:
/// https://www.postgresql.org/docs/current/errcodes-appendix.html). Nothing here connects.
/// </summary>
public sealed class PostgresDialectTests
{
    private static readonly IDatabaseDialect Dialect = DialectErrors.For(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=unused");

    private static PostgresException Error(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

    [Theory]
    [InlineData(PostgresErrorCodes.DiskFull, "the database disk is full")]
    [InlineData(PostgresErrorCodes.OutOfMemory, "the database is out of resources")]
    [InlineData(PostgresErrorCodes.TooManyConnections, "the database is out of resources")]
    [InlineData(PostgresErrorCodes.ConnectionFailure, "the database is unavailable")]
    [InlineData(PostgresErrorCodes.CannotConnectNow, "the database is unavailable")] // 57P03: transient (the server is starting)
    public void ResourceConnectionAndTransientErrorsAreStorageFaults(string sqlState, string reason)
        => DialectErrors.AssertFault(Dialect, Error(sqlState), reason);

    [Fact]
    public void AServerThatCannotBeReachedIsUnavailable()
    {
        var unreachable = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));
        Assert.Equal("the database is unavailable", Dialect.FindFault(unreachable)?.Reason);
    }

    [Fact]
    public void AUniqueViolationIsNotAFault()
    {
        var violation = DialectErrors.Wrapped(Error(PostgresErrorCodes.UniqueViolation));
        Assert.True(Dialect.IsUniqueViolation(violation));
        Assert.Null(Dialect.FindFault(violation));
    }

    [Fact]
    public void AForeignKeyViolationIsRecognisedAndIsNotAUniqueViolation()
    {
        Assert.True(Dialect.IsForeignKeyViolation(DialectErrors.Wrapped(Error(PostgresErrorCodes.ForeignKeyViolation))));
        Assert.False(Dialect.IsForeignKeyViolation(DialectErrors.Wrapped(Error(PostgresErrorCodes.UniqueViolation))));
        Assert.False(Dialect.IsForeignKeyViolation(DialectErrors.Wrapped(new SqliteException("SQLite Error 19", 19, 787))));
    }

    [Fact]
    public void OtherErrorsAreNeitherFaultsNorUniqueViolations()
    {
        DialectErrors.AssertNeitherFaultsNorUniqueViolations(Dialect,
            DialectErrors.Wrapped(Error(PostgresErrorCodes.ForeignKeyViolation)),
            DialectErrors.Wrapped(Error(PostgresErrorCodes.SyntaxError)),
            new InvalidOperationException("not a database error"),
            // Another engine's errors are not this dialect's business.
            DialectErrors.Wrapped(new SqliteException("SQLite Error 19", 19, 2067)),
            DialectErrors.Wrapped(new SqliteException("SQLite Error 13", 13, 13)));
    }
}
