namespace BackpropService.Api.Observability;

/// <summary>
/// Start-up work that the job counter's first sample lets go first (the first-use warm-up): both would otherwise run,
/// and be compiled, beside a client's first request (docs/performance.md, "session 12").
/// </summary>
public interface IStartupWork
{
    /// <summary>Completes when the work has ended, however it ended.</summary>
    Task Done { get; }
}
