namespace BackpropService.Api.Observability;

/// <summary>
/// Puts <c>JobId</c> on every log line written inside the scope (the JSON console writes it under "Scopes").
/// Scopes flow with the async context, so a scope opened before a job's task starts covers everything it logs,
/// EF Core's lines included.
/// </summary>
public static class JobLogScope
{
    public static IDisposable? Begin(ILogger logger, string jobId) => logger.BeginScope("Job {JobId}", jobId);
}
