using System.Globalization;

namespace BackpropService.TestKit;

/// <summary>
/// The test side of the service's epoch hold (src/Api/Testing/EpochHold.cs) for service processes: pass
/// <see cref="Settings"/> to the processes to hold, await <see cref="ReachedAsync"/> (the held job's id), act (kill,
/// freeze, stop), then <see cref="Release"/>. Processes given the same settings share the releases.
/// </summary>
public sealed class ProcessHold : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("backprop-hold-").FullName;
    private readonly int[] _epochs;

    /// <summary>Holds jobs at each of <paramref name="epochs"/> (before training it): the history stays at epoch − 1 meanwhile.</summary>
    public ProcessHold(params int[] epochs)
    {
        if (epochs.Length == 0) throw new ArgumentException("Name at least one epoch to hold at.", nameof(epochs));
        _epochs = epochs;
    }

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Testing__HoldAtEpoch"] = string.Join(',', _epochs.Select(e => e.ToString(CultureInfo.InvariantCulture))),
        ["Testing__HoldDirectory"] = _directory,
    };

    /// <summary>Completes with the id of the first job held at the first epoch given.</summary>
    public Task<string> ReachedAsync(TimeSpan timeout, Func<string>? context = null) => ReachedAsync(_epochs[0], timeout, context);

    /// <summary>
    /// Completes with the id of the first job held at <paramref name="epoch"/> (the service writes
    /// <c>held-{epoch}-{jobId}</c> as it stops), or of job <paramref name="jobId"/> when given.
    /// </summary>
    public async Task<string> ReachedAsync(int epoch, TimeSpan timeout, Func<string>? context = null, string? jobId = null)
    {
        var prefix = $"held-{epoch}-";
        string? held = null;
        await Wait.UntilAsync(() => (held = Directory.EnumerateFiles(_directory, prefix + (jobId ?? "*")).FirstOrDefault()) is not null, timeout,
            () => $"job {jobId ?? "(any)"} held at epoch {epoch}\n{context?.Invoke()}");
        return Path.GetFileName(held!)[prefix.Length..];
    }

    /// <summary>Lets jobs held at <paramref name="epoch"/> go on; from now on none is held there.</summary>
    public void Release(int epoch) => File.WriteAllText(Path.Combine(_directory, $"release-{epoch}"), "");

    /// <summary>Lets every held job go on; from now on none is held.</summary>
    public void Release()
    {
        foreach (var epoch in _epochs) Release(epoch);
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
