namespace BackpropService.Cli;

/// <summary>What <c>backprop</c> returns, for scripts.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The job failed or was cancelled, or the service reported an error of its own (5xx, 409).</summary>
    public const int JobFailed = 1;
    /// <summary>Bad arguments, a bad input file, or a request the service rejected as wrong (4xx: 400, 401, 404).</summary>
    public const int Usage = 2;
    /// <summary>The service could not be reached (after the client's retries) or did not answer in time.</summary>
    public const int Unreachable = 3;
    /// <summary>Ctrl+C outside a job's progress display (the shell's convention, 128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
