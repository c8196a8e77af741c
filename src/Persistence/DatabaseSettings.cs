namespace BackpropService.Persistence;

/// <summary>Which engine to use and how to reach it (the <c>Database:Provider</c> and <c>ConnectionStrings:Default</c> settings).</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString);
