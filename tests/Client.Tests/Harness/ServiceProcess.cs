using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace BackpropService.Client.Tests.Harness;

/// <summary>
/// The built service (<c>dotnet BackpropService.Api.dll</c>) as a child process on a SQLite file and a port that a
/// restart keeps, so a client can lose it (SIGKILL) and find it again at the same address.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, Uri address) => (_process, Address) = (process, address);

    public Uri Address { get; }

    public string RecentOutput => string.Join('\n', _output.TakeLast(40));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<ServiceProcess> StartAsync(string databasePath, int port, string instanceName)
    {
        var dll = ServiceDll();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList()) info.Environment.Remove(key);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ConnectionStrings__Default"] = $"Data Source={databasePath}";
        // The same instance name after a restart: the new process takes its predecessor's running job back at once.
        info.Environment["Training__InstanceName"] = instanceName;
        info.Environment["Training__FlushInterval"] = "00:00:00.050";
        info.Environment["Training__CheckpointInterval"] = "00:00:00.250";
        info.Environment["Training__PollInterval"] = "00:00:00.250";
        info.Environment["Logging__LogLevel__Default"] = "Warning";

        var process = new Process { StartInfo = info };
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
        while (_output.Count > 200) _output.TryDequeue(out _);
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited with code {_process.ExitCode}:\n{RecentOutput}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service did not become healthy within 60 s:\n{RecentOutput}");
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Unix): no shutdown code runs, as in a crash.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>src/Api/bin/{this build's configuration}/net10.0/BackpropService.Api.dll.</summary>
    private static string ServiceDll()
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BackpropService.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("BackpropService.sln not found above " + AppContext.BaseDirectory);
        var dll = Path.Combine(directory.FullName, "src", "Api", "bin", configuration, "net10.0", "BackpropService.Api.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/Api first.", dll);
    }
}
