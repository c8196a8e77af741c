using System.Net;
using System.Text.Json.Nodes;
using BackpropService.Reliability.Tests.Harness;

namespace BackpropService.Reliability.Tests.Startup;

/// <summary>
/// The built service starts and trains with the runtime settings it ships (src/Api/Api.csproj): tiered compilation on,
/// quick JIT off, workstation GC, thread-pool workers that do not spin. <see cref="ServiceProcess"/> clears every inherited <c>DOTNET_</c> variable, so this process and every
/// other process-level test run with exactly those settings.
/// </summary>
public sealed class ShippedRuntimeSettingsTests
{
    [Fact]
    public async Task TheServiceShipsItsRuntimeSettingsAndStartsAndTrainsWithThem()
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(ServiceProcess.ServiceDll(), ".runtimeconfig.json")))!;
        var properties = config["runtimeOptions"]!["configProperties"]!;
        Assert.NotEqual(false, properties["System.Runtime.TieredCompilation"]?.GetValue<bool>());
        Assert.Equal(false, properties["System.Runtime.TieredCompilation.QuickJit"]?.GetValue<bool>());
        Assert.Equal(false, properties["System.GC.Server"]?.GetValue<bool>());
        Assert.Equal("0", properties["System.Threading.ThreadPool.UnfairSemaphoreSpinLimit"]?.ToString());

        using var db = new TempDatabase();
        await using var service = await ServiceProcess.StartAsync(db.Path, db.InstanceName);
        var (networkId, datasetId) = await service.Client.CreateNetworkAndDatasetAsync();
        var jobId = await service.Client.PostAsync("/api/jobs", Workload.Job(networkId, datasetId, 1), HttpStatusCode.Accepted);
        var job = await service.Client.WaitForFinishAsync(jobId);
        Assert.Equal("succeeded", JobClient.Status(job));
        Assert.Equal(1, JobClient.EpochsCompleted(job));
    }
}
