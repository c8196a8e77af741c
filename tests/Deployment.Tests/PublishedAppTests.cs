using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace BackpropService.Deployment.Tests;

/// <summary>
/// Mirrors the Dockerfile's steps without a Docker engine: <c>dotnet publish -c Release</c>, then run the published app
/// as an unprivileged user with the environment the image sets (port from ASPNETCORE_HTTP_PORTS, the SQLite file in a
/// data folder), and expect <c>/health</c> to answer 200.
/// </summary>
public sealed class PublishedAppTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("backprop-publish-").FullName;

    [Fact]
    public async Task PublishedAppRunsAsAnUnprivilegedUserAndReportsHealthy()
    {
        var app = Path.Combine(_work, "app");
        var (exit, output) = await ExternalTool.RunAsync("dotnet",
            $"publish src/Api/Api.csproj -c Release -o \"{app}\" -p:UseAppHost=false", RepositoryRoot.Path, TimeSpan.FromMinutes(8));
        Assert.True(exit == 0, output);

        var data = Directory.CreateDirectory(Path.Combine(_work, "data")).FullName;
        var home = Directory.CreateDirectory(Path.Combine(_work, "home")).FullName;
        var port = FreePort();
        var runningAsRoot = Environment.UserName == "root";
        if (runningAsRoot && !OperatingSystem.IsWindows())
            foreach (var dir in new[] { _work, app, data, home })
                File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("777", 8));

        // As root, drop to "nobody" the way the image's USER line drops to "app"; otherwise we are unprivileged already.
        var dotnet = ExternalTool.Require("dotnet");
        var start = runningAsRoot
            ? new ProcessStartInfo(ExternalTool.Require("setpriv"),
                $"--reuid=65534 --regid=65534 --clear-groups \"{dotnet}\" \"{Path.Combine(app, "BackpropService.Api.dll")}\"")
            : new ProcessStartInfo(dotnet, $"\"{Path.Combine(app, "BackpropService.Api.dll")}\"");
        start.WorkingDirectory = app;
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString();
        start.Environment["ASPNETCORE_URLS"] = "";
        start.Environment["ConnectionStrings__Default"] = $"Data Source={Path.Combine(data, "backprop.db")}";
        start.Environment["HOME"] = home;
        start.Environment["DOTNET_CLI_HOME"] = home;

        using var process = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await Wait.UntilHealthyAsync(client, TimeSpan.FromSeconds(60), () => process.HasExited, () => { lock (log) return log.ToString(); });
            Assert.True(File.Exists(Path.Combine(data, "backprop.db")), "the SQLite file is created in the data folder");
            Assert.NotEqual("0", EffectiveUserId(process.Id));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The effective uid of the process that serves (setpriv execs into dotnet, keeping the pid).</summary>
    private static string EffectiveUserId(int pid) =>
        File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[2];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
