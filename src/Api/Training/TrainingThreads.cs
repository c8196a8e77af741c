namespace BackpropService.Api.Training;

/// <summary>
/// The dedicated threads training runs on, reused from one run to the next instead of a new thread per job: a run is
/// handed to an idle training thread, or to a new one when none is idle; a thread idle for its idle lifetime exits.
/// Training is CPU-bound for as long as a job lasts, so it stays off the thread pool; how many run at once is the
/// worker's to bound (<see cref="TrainingOptions.MaxConcurrentJobs"/>), so as many threads stay as jobs train.
/// </summary>
/// <remarks>
/// NOTE: a lock and <see cref="Monitor.Wait(object, TimeSpan)"/>, not a SemaphoreSlim: SemaphoreSlim spins (with
/// sched_yield) before it blocks, and a thread going idle after its job's end spun on a core a trainer was using: a
/// quarter of a sweep's context switches (docs/performance.md, "session 12").
/// </remarks>
/// <param name="idleLifetime">How long a training thread waits for the next run before it exits.</param>
public sealed class TrainingThreads(TimeSpan idleLifetime)
{
    /// <summary>The process's training threads; idle ones exit after 10 s.</summary>
    public static TrainingThreads Shared { get; } = new(TimeSpan.FromSeconds(10));

    private readonly object _lock = new();
    private readonly Queue<Action> _runs = new(); // under _lock
    private int _idle;  // under _lock: threads waiting for a run, none handed to them yet
    private int _wakes; // under _lock: runs handed to idle threads, not yet taken up

    /// <summary>Threads waiting for a run that none has been handed yet (diagnostics and tests).</summary>
    public int IdleThreads
    {
        get { lock (_lock) return _idle; }
    }

    /// <summary>
    /// Runs <paramref name="run"/> on a training thread, in the caller's execution context (its log scope: the job's id),
    /// as a new thread would; it must not throw (the caller reports its outcome).
    /// </summary>
    public void Run(Action run)
    {
        var context = ExecutionContext.Capture();
        lock (_lock)
        {
            _runs.Enqueue(context is null ? run : () => ExecutionContext.Run(context, static state => ((Action)state!)(), run));
            if (_idle > 0)
            {
                // An idle thread wakes and takes it (or a thread finishing its run takes it first).
                _idle--;
                _wakes++;
                Monitor.Pulse(_lock);
                return;
            }
        }
        new Thread(Loop) { IsBackground = true, Name = "training" }.Start();
    }

    private void Loop()
    {
        while (Next() is { } run) run();
    }

    /// <summary>The next run, once one is queued; null when none came for the idle lifetime (the thread then exits).</summary>
    private Action? Next()
    {
        lock (_lock)
        {
            while (true)
            {
                if (_runs.TryDequeue(out var run)) return run;
                if (!WaitForWake()) return null;
            }
        }
    }

    /// <summary>Under the lock: idles until a run is handed to this thread; false after the idle lifetime without one.</summary>
    private bool WaitForWake()
    {
        _idle++;
        while (_wakes == 0)
        {
            // A wake handed over just as the wait timed out is still this thread's to take.
            if (Monitor.Wait(_lock, idleLifetime) || _wakes > 0) continue;
            _idle--;
            return false;
        }
        _wakes--;
        return true;
    }
}
