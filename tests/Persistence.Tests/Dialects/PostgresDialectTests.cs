using BackpropService.Persistence.Dialects;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace BackpropService.Persistence.Tests.Dialects;

/// <summary>
/// How the PostgreSQL dialect reads PostgreSQL's errors (SQLSTATE codes:
/// https://www.postgresql.org/docs/current/errcodes-appendix.html). Nothing here connects.
/// </summary>
public sealed class PostgresDialectTests
{
    private static readonly IDatabaseDialect Dialect = DatabaseDialect.For(new DatabaseSettings(DatabaseProvider.Postgres, "Host=127.0.0.1;Database=unused"), 1_000);

    private static DbUpdateException Wrapped(Exception inner) => new("An error occurred while saving the entity changes.", inner);

    private static PostgresException Error(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

    [Theory]
    [InlineData(PostgresErrorCodes.DiskFull, "the database disk is full")]
    [InlineData(PostgresErrorCodes.OutOfMemory, "the database is out of resources")]
    [InlineData(PostgresErrorCodes.TooManyConnections, "the database is out of resources")]
    [InlineData(PostgresErrorCodes.ConnectionFailure, "the database is unavailable")]
    [InlineData(PostgresErrorCodes.CannotConnectNow, "the database is unavailable")] // 57P03: transient (the server is starting)
    public void ResourceConnectionAndTransientErrorsAreStorageFaults(string sqlState, string reason)
    {
        var postgres = Error(sqlState);
        var fault = Dialect.FindFault(Wrapped(postgres));
        Assert.NotNull(fault);
        Assert.Same(postgres, fault.Exception);
        Assert.Equal(reason, fault.Reason);
        Assert.False(Dialect.IsUniqueViolation(Wrapped(postgres)));
    }

    [Fact]
    public void AServerThatCannotBeReachedIsUnavailable()
    {
        var unreachable = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));
        Assert.Equal("the database is unavailable", Dialect.FindFault(unreachable)?.Reason);
    }

    [Fact]
    public void AUniqueViolationIsNotAFault()
    {
        var violation = Wrapped(Error(PostgresErrorCodes.UniqueViolation));
        Assert.True(Dialect.IsUniqueViolation(violation));
        Assert.Null(Dialect.FindFault(violation));
    }

    [Fact]
    public void OtherErrorsAreNeitherFaultsNorUniqueViolations()
    {
        Exception[] others =
        [
            Wrapped(Error(PostgresErrorCodes.ForeignKeyViolation)),
            Wrapped(Error(PostgresErrorCodes.SyntaxError)),
            new InvalidOperationException("not a database error"),
            // Another engine's errors are not this dialect's business.
            Wrapped(new SqliteException("SQLite Error 19", 19, 2067)),
            Wrapped(new SqliteException("SQLite Error 13", 13, 13)),
        ];
        foreach (var other in others)
        {
            Assert.Null(Dialect.FindFault(other));
            Assert.False(Dialect.IsUniqueViolation(other));
        }
    }
}
