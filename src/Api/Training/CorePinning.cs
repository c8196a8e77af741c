using System.Runtime.InteropServices;

namespace BackpropService.Api.Training;

/// <summary>
/// Gives concurrent trainings of this process a core each (Linux): a training that starts while another one trains is
/// pinned, for as long as it trains, to an allowed core that no other training of this process holds; the thread's
/// earlier affinity comes back on dispose, so the job's end, which runs on after on the same thread, goes wherever the
/// scheduler likes. A lone training is not pinned (nothing to keep it apart from, and replicas sharing a machine each
/// pin only their second and later trainings), nor are trainings beyond the free cores.
/// </summary>
/// <remarks>
/// NOTE: unpinned, two trainers that yield their cores often (<see cref="TrainingOptions.YieldEvery"/>)
/// were often queued on one core, handing it to each other while the other core sat idle or ran the thread pool's
/// spinning workers: the scheduler keeps a thread that ran a moment ago where it is. The trace and the sweep's figures:
/// docs/performance.md, "one core per training".
/// </remarks>
public sealed class CorePinning
{
    private const int MaskWords = 16; // 1,024 CPUs

    private readonly Lock _lock = new();
    private readonly HashSet<int> _taken = [];
    private int _training;

    /// <summary>The process's trainings.</summary>
    public static CorePinning Shared { get; } = new();

    /// <summary>
    /// Called on a training thread as its training starts; dispose when it ends. Pins the thread when another training
    /// of this process is under way and a core is free (see the class).
    /// </summary>
    public IDisposable Enter()
    {
        int core;
        ulong[]? original;
        lock (_lock)
        {
            _training++;
            original = _training > 1 ? AllowedMask() : null;
            core = original is null ? -1 : FirstFree(original);
            if (core >= 0) _taken.Add(core);
        }
        if (core >= 0 && SetAffinity(MaskOf(core))) return new Training(this, core, original);
        if (core >= 0) lock (_lock) _taken.Remove(core);
        return new Training(this, -1, null);
    }

    /// <summary>The cores the calling thread may run on now (all of them where affinity is not supported).</summary>
    public static IReadOnlyList<int> AllowedCores()
    {
        if (AllowedMask() is not { } mask) return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
        return Enumerable.Range(0, MaskWords * 64).Where(cpu => IsSet(mask, cpu)).ToArray();
    }

    private void Leave(int core, ulong[]? original)
    {
        if (original is not null) SetAffinity(original);
        lock (_lock)
        {
            _training--;
            if (core >= 0) _taken.Remove(core);
        }
    }

    private int FirstFree(ulong[] allowed)
    {
        for (var cpu = 0; cpu < MaskWords * 64; cpu++)
            if (IsSet(allowed, cpu) && !_taken.Contains(cpu)) return cpu;
        return -1;
    }

    private static bool IsSet(ulong[] mask, int cpu) => (mask[cpu / 64] & (1UL << (cpu % 64))) != 0;

    private static ulong[] MaskOf(int cpu)
    {
        var mask = new ulong[MaskWords];
        mask[cpu / 64] = 1UL << (cpu % 64);
        return mask;
    }

    private static ulong[]? AllowedMask()
    {
        var mask = new ulong[MaskWords];
        return Native(() => sched_getaffinity(0, MaskWords * sizeof(ulong), mask)) ? mask : null;
    }

    private static bool SetAffinity(ulong[] mask) => Native(() => sched_setaffinity(0, MaskWords * sizeof(ulong), mask));

    /// <summary>
    /// Runs an affinity call; false when it failed or affinity is not available here (not Linux, or a C library without
    /// the call): training then runs unpinned, never fails for it.
    /// </summary>
    private static bool Native(Func<int> call)
    {
        if (!OperatingSystem.IsLinux() || s_unsupported) return false;
        try
        {
            return call() == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unsupported = true;
            return false;
        }
    }

    private static volatile bool s_unsupported;

    private sealed class Training(CorePinning owner, int core, ulong[]? original) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Leave(core, original);
        }
    }

    // pid 0: the calling thread. DllImport, not LibraryImport: that would need unsafe code for two plain calls.
    [DllImport("libc", SetLastError = true)]
    private static extern int sched_getaffinity(int pid, nint cpusetsize, [Out] ulong[] mask);

    [DllImport("libc", SetLastError = true)]
    private static extern int sched_setaffinity(int pid, nint cpusetsize, ulong[] mask);
}
