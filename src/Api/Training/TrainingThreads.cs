using System.Collections.Concurrent;

namespace BackpropService.Api.Training;

/// <summary>
/// The dedicated threads training runs on, reused from one run to the next instead of a new thread per job: a run is
/// handed to an idle training thread, or to a new one when none is idle; a thread idle for <see cref="IdleLifetime"/>
/// exits. Training is CPU-bound for as long as a job lasts, so it stays off the thread pool; how many run at once is
/// the worker's to bound (<see cref="TrainingOptions.MaxConcurrentJobs"/>), so as many threads stay as jobs train.
/// </summary>
public static class TrainingThreads
{
    /// <summary>How long a training thread waits for the next run before it exits.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentQueue<Action> s_runs = new();
    private static readonly SemaphoreSlim s_handed = new(0);
    private static int s_idle;

    /// <summary>
    /// Runs <paramref name="run"/> on a training thread, in the caller's execution context (its log scope: the job's id),
    /// as a new thread would; it must not throw (the caller reports its outcome).
    /// </summary>
    public static void Run(Action run)
    {
        var context = ExecutionContext.Capture();
        s_runs.Enqueue(context is null ? run : () => ExecutionContext.Run(context, static state => ((Action)state!)(), run));
        if (TryTakeIdle()) s_handed.Release(); // an idle thread wakes and takes it (or one finishing its run does first)
        else new Thread(Loop) { IsBackground = true, Name = "training" }.Start();
    }

    private static void Loop()
    {
        while (true)
        {
            while (s_runs.TryDequeue(out var run)) run();
            Interlocked.Increment(ref s_idle);
            if (s_handed.Wait(IdleLifetime)) continue;
            // Idle too long: exit, unless a run was handed to this thread meanwhile (its wake-up is then ours to take).
            if (TryTakeIdle()) return;
            s_handed.Wait();
        }
    }

    /// <summary>Counts one idle thread as taken; false when none is idle.</summary>
    private static bool TryTakeIdle()
    {
        var idle = Volatile.Read(ref s_idle);
        while (idle > 0)
        {
            var seen = Interlocked.CompareExchange(ref s_idle, idle - 1, idle);
            if (seen == idle) return true;
            idle = seen;
        }
        return false;
    }
}
