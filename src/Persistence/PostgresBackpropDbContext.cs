using Microsoft.EntityFrameworkCore;

namespace BackpropService.Persistence;

/// <summary>The same model as <see cref="BackpropDbContext"/> on PostgreSQL, with its own migrations.</summary>
/// <remarks>
/// Its migrations live in <c>Migrations/Postgres/</c>. After changing the model, add the SQLite migration (see
/// <see cref="BackpropDbContext"/>) and then this one, from the repository root:
/// <code>dotnet tool restore &amp;&amp; dotnet ef migrations add NAME --project src/Persistence --startup-project src/Api --context PostgresBackpropDbContext --output-dir Migrations/Postgres</code>
/// (the first one was made with NAME = InitialPostgres). Adding a migration needs no server.
/// </remarks>
public sealed class PostgresBackpropDbContext(DbContextOptions<PostgresBackpropDbContext> options) : BackpropDbContext(options)
{
    /// <summary>For <c>dotnet ef</c> only: a context whose connection string is a placeholder (adding a migration never connects).</summary>
    /// <remarks>
    /// NOTE: not an <c>IDesignTimeDbContextFactory</c>: that interface is covariant, so the tools would use such a
    /// factory for <see cref="BackpropDbContext"/> too and write PostgreSQL migrations for the SQLite context.
    /// </remarks>
    public PostgresBackpropDbContext()
        : this(new DbContextOptionsBuilder<PostgresBackpropDbContext>().UseNpgsql("Host=localhost;Database=backprop_design_time").Options)
    {
    }
}
