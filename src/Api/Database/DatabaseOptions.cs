using BackpropService.Persistence;

namespace BackpropService.Api.Database;

/// <summary>Which database engine the service uses, bound from the "Database" configuration section.</summary>
/// <remarks>The connection string is <c>ConnectionStrings:Default</c>, for either engine.</remarks>
public sealed class DatabaseOptions
{
    /// <summary><c>sqlite</c> (default: one file, one replica) or <c>postgres</c> (a shared server, several replicas).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
