namespace BackpropService.Persistence.Dialects;

/// <summary>The one place the engine is chosen: the dialect for the <c>Database:Provider</c> setting.</summary>
public static class DatabaseDialect
{
    public static IDatabaseDialect For(DatabaseSettings settings, int busyTimeoutMilliseconds) => settings.Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteDialect(settings.ConnectionString, busyTimeoutMilliseconds),
        DatabaseProvider.Postgres => new PostgresDialect(settings.ConnectionString),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "Unknown database provider."),
    };
}
