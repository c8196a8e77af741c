using System.Runtime.CompilerServices;

namespace BackpropService.Api.Testing;

/// <summary>
/// Test seam: holds a job's training thread at the start of a chosen epoch (before that epoch is buffered), so a test
/// kills, freezes, locks, cancels or stops the service at a known point of a small job instead of racing a long one.
/// The job's history then stops at epoch N − 1 (once flushed) and stays there while held; its flush loop, lease
/// renewals and hub keep running.
/// <list type="bullet">
/// <item>In the test's own process (WebApplicationFactory): <c>using var hold = EpochHold.Arm(instanceName, n)</c>
/// holds jobs of the host whose <c>Training:InstanceName</c> is <c>instanceName</c>; await <see cref="Reached"/>
/// (the held job's id), act, then <see cref="Release"/> (or dispose).</item>
/// <item>In a service process: environment <c>Testing__HoldAtEpoch=N</c> (or several, <c>N1,N2</c>) and
/// <c>Testing__HoldDirectory=DIR</c>. A job reaching epoch N writes the file <c>DIR/held-N-{jobId}</c> and waits
/// until <c>DIR/release-N</c> exists (or the process is killed). Processes sharing DIR share the release; once it
/// exists no job is held at N.</item>
/// </list>
/// A held job also goes on when its attempt's token is cancelled (a user's cancel, the shutdown checkpoint timeout,
/// a failed flush), so a hold never outlives its host. Off by default; nothing over HTTP reaches it; disarmed, an
/// epoch pays one static field read.
/// </summary>
public sealed class EpochHold : IDisposable
{
    private static readonly Lock Arming = new();
    private static EpochHold[]? s_armed = FromEnvironment();

    private readonly string? _instanceName;
    private readonly int _epoch;
    private readonly string? _directory;
    private readonly ManualResetEventSlim _released = new();
    private readonly TaskCompletionSource<string> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private EpochHold(string? instanceName, int epoch, string? directory)
    {
        _instanceName = instanceName;
        _epoch = epoch;
        _directory = directory;
    }

    /// <summary>Completes with the job's id when a job of this hold's instance starts epoch N and waits.</summary>
    public Task<string> Reached => _reached.Task;

    /// <summary>Holds every job of instance <paramref name="instanceName"/> in this process at epoch <paramref name="epoch"/> until released.</summary>
    public static EpochHold Arm(string instanceName, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        var hold = new EpochHold(instanceName, epoch, directory: null);
        lock (Arming) s_armed = [.. s_armed ?? [], hold];
        return hold;
    }

    /// <summary>The one call, at the start of the training thread's per-epoch callback (<paramref name="attempt"/>: the attempt's cancellation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void At(string instanceName, string jobId, int epoch, CancellationTokenSource attempt)
    {
        if (s_armed is { } armed) Wait(armed, instanceName, jobId, epoch, attempt.Token);
    }

    /// <summary>Lets held jobs go on, and holds none from now on.</summary>
    public void Release() => _released.Set();

    public void Dispose()
    {
        Release();
        lock (Arming)
        {
            var rest = (s_armed ?? []).Where(h => h != this).ToArray();
            s_armed = rest.Length == 0 ? null : rest;
        }
    }

    private static void Wait(EpochHold[] armed, string instanceName, string jobId, int epoch, CancellationToken cancelled)
    {
        foreach (var hold in armed)
            if (hold._epoch == epoch && (hold._instanceName is null || hold._instanceName == instanceName))
                hold.Hold(jobId, cancelled);
    }

    private void Hold(string jobId, CancellationToken cancelled)
    {
        if (_directory is null)
        {
            if (_released.IsSet) return;
            _reached.TrySetResult(jobId);
            try { _released.Wait(cancelled); } catch (OperationCanceledException) { }
            return;
        }
        var release = Path.Combine(_directory, $"release-{_epoch}");
        if (File.Exists(release)) return;
        File.WriteAllText(Path.Combine(_directory, $"held-{_epoch}-{jobId}"), jobId);
        // A file has no wake-up call: look for it every few milliseconds, which a held job can afford.
        while (!File.Exists(release) && !cancelled.WaitHandle.WaitOne(5)) { }
    }

    private static EpochHold[]? FromEnvironment()
    {
        var epoch = Environment.GetEnvironmentVariable("Testing__HoldAtEpoch");
        var directory = Environment.GetEnvironmentVariable("Testing__HoldDirectory");
        if (string.IsNullOrEmpty(epoch) || string.IsNullOrEmpty(directory)) return null;
        return epoch.Split(',').Select(n => new EpochHold(instanceName: null, int.Parse(n, System.Globalization.CultureInfo.InvariantCulture), directory)).ToArray();
    }
}
