using BackpropService.Persistence;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Database;

public static class DatabaseServiceCollectionExtensions
{
    private const string DefaultSqlite = "Data Source=backprop.db";

    /// <summary>
    /// The database on the engine <c>Database:Provider</c> names, reached through <c>ConnectionStrings:Default</c>.
    /// NOTE: both are read when the first context is made, not here, so a test host's overrides apply.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration("Database");
        services.AddSingleton(provider => new DatabaseStartup(() => Task.Run(provider.InitializeDatabase)));
        // NOTE: the hosted services (the server among them) start together, so the server listens while the database
        // is prepared (DatabaseStartup); those that need it wait for it.
        services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
        return services.AddPersistence(provider => Settings(
            provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider,
            provider.GetRequiredService<IConfiguration>().GetConnectionString("Default")));
    }

    public static DatabaseSettings Settings(DatabaseProvider provider, string? connectionString) => provider switch
    {
        DatabaseProvider.Sqlite => new DatabaseSettings(provider, connectionString ?? DefaultSqlite),
        // A SQLite path handed to PostgreSQL would fail later with a parser error; say what is wrong instead.
        DatabaseProvider.Postgres when string.IsNullOrWhiteSpace(connectionString) || connectionString.Contains("Data Source", StringComparison.OrdinalIgnoreCase) =>
            throw new InvalidOperationException(
                "Database:Provider is postgres, so ConnectionStrings:Default must be a PostgreSQL connection string " +
                "such as \"Host=postgres;Database=backprop;Username=backprop;Password=...\"."),
        DatabaseProvider.Postgres => new DatabaseSettings(provider, connectionString),
        _ => throw new InvalidOperationException($"Database:Provider must be sqlite or postgres; got '{provider}'."),
    };
}
