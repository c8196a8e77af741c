using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace BackpropService.ScaleOut.Tests;

/// <summary>
/// One service process, started as a deployment would run it (<c>dotnet BackpropService.Api.dll --urls ...</c>) on
/// PostgreSQL and Redis, with short leases so a takeover happens within seconds. <see cref="Kill"/> is SIGKILL: no
/// shutdown hook, no lease release, no last flush, exactly like a crashed machine.
/// </summary>
public sealed class Replica : IAsyncDisposable
{
    public static string ApiDll { get; } = Path.GetFullPath(typeof(Replica).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ApiDll").Value!);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public string Name { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }

    private Replica(string name, int port, Process process)
    {
        Name = name;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        _process = process;
    }

    /// <summary>Starts a replica; <paramref name="settings"/> are more environment variables (e.g. a <see cref="ProcessHold"/>'s).</summary>
    public static async Task<Replica> StartAsync(string name, string database, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(ApiDll)! };
        start.ArgumentList.Add(ApiDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = "postgres";
        start.Environment["ConnectionStrings__Default"] = ScaleOutServices.DatabaseConnection(database);
        start.Environment["ConnectionStrings__Redis"] = ScaleOutServices.Redis;
        start.Environment["Training__InstanceName"] = name;
        start.Environment["Training__LeaseDuration"] = "00:00:03";
        start.Environment["Training__PollInterval"] = "00:00:00.250";
        start.Environment["Training__CheckpointInterval"] = "00:00:00.300";
        start.Environment["Training__MaxConcurrentJobs"] = "2";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        if (!File.Exists(ApiDll)) throw new FileNotFoundException("Build src/Api first (the test project references it).", ApiDll);

        var replica = new Replica(name, port, Process.Start(start)!);
        replica._process.OutputDataReceived += (_, e) => replica.Append(e.Data);
        replica._process.ErrorDataReceived += (_, e) => replica.Append(e.Data);
        replica._process.BeginOutputReadLine();
        replica._process.BeginErrorReadLine();
        try
        {
            await replica.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
        return replica;
    }

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>SIGKILL, and wait until the process is gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private Task WaitHealthyAsync(TimeSpan timeout) =>
        Wait.UntilHealthyAsync(Http, timeout, () => _process.HasExited, () => $"Replica {Name}. Log:\n{Log}");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
