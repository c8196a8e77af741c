using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>
/// The built service (<c>dotnet BackpropService.Api.dll --urls http://127.0.0.1:PORT</c>) as a child process on a
/// given SQLite file, so a test can SIGKILL, SIGTERM or SIGSTOP it and start it again on the same database.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    /// <summary>A killed process is gone at once; far longer than that means something else holds it (or its output pipes).</summary>
    private static readonly TimeSpan KilledExitTimeout = TimeSpan.FromSeconds(30);

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;

    /// <summary>The last lines the service printed, for assertion messages.</summary>
    public string RecentOutput => string.Join('\n', _output.TakeLast(60));

    public static async Task<ServiceProcess> StartAsync(string databasePath, string instanceName, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = ServiceDll();
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal) && k != "DOTNET_ROOT").ToList())
            info.Environment.Remove(key);
        var values = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
            ["ConnectionStrings__Default"] = $"Data Source={databasePath}",
            ["Training__InstanceName"] = instanceName,
            ["Training__FlushInterval"] = "00:00:00.050",
            ["Training__CheckpointInterval"] = "00:00:00.250",
            ["Training__PollInterval"] = "00:00:00.250",
            ["Training__MaxConcurrentJobs"] = "2",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__BackpropService"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) values[key] = value;
        foreach (var (key, value) in values) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service.Record(e.Data);
        process.ErrorDataReceived += (_, e) => service.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitHealthyAsync();
        return service;
    }

    private void Record(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 500) _output.TryDequeue(out _);
    }

    private Task WaitHealthyAsync() =>
        Wait.UntilHealthyAsync(Client, TimeSpan.FromSeconds(60), () => _process.HasExited, () => RecentOutput);

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or the OOM killer.</summary>
    public Task KillAsync()
    {
        Signals.Send(_process.Id, Signals.SigKill);
        return WaitForExitAsync(KilledExitTimeout, "SIGKILL");
    }

    /// <summary>SIGTERM: the host's graceful shutdown; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Signals.Send(_process.Id, Signals.SigTerm);
        await WaitForExitAsync(timeout, "SIGTERM");
        return _process.ExitCode;
    }

    /// <summary>
    /// Until the process has exited and its output is read to the end; throws <see cref="TimeoutException"/>, naming
    /// the signal and with the last lines it printed, after <paramref name="timeout"/>.
    /// </summary>
    private async Task WaitForExitAsync(TimeSpan timeout, string after)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The service process {_process.Id} had not exited {timeout} after {after}:\n{RecentOutput}");
        }
    }

    /// <summary>SIGSTOP / SIGCONT: a worker frozen mid-flight (a long GC pause, a paused VM), then woken.</summary>
    public void Freeze() => Signals.Send(_process.Id, Signals.SigStop);

    public void Thaw() => Signals.Send(_process.Id, Signals.SigCont);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            try { Signals.Send(_process.Id, Signals.SigCont); } catch (InvalidOperationException) { }
            _process.Kill(entireProcessTree: true);
            await WaitForExitAsync(KilledExitTimeout, "Kill at dispose");
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/Api/bin/{the configuration these tests were built in}/net10.0/BackpropService.Api.dll.</summary>
    public static string ServiceDll()
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BackpropService.sln")))
            directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("BackpropService.sln not found above " + AppContext.BaseDirectory);
        var dll = Path.Combine(directory.FullName, "src", "Api", "bin", configuration, "net10.0", "BackpropService.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/Api first (dotnet build).", dll);
    }
}
