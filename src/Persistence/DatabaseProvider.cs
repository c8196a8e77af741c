namespace BackpropService.Persistence;

/// <summary>The database engines the service runs on, chosen by the <c>Database:Provider</c> setting.</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside the service: the default, for a single replica.</summary>
    Sqlite,

    /// <summary>A shared server, for several replicas (scale-out).</summary>
    Postgres,
}
