using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;
using BackpropService.Service.Benchmarks;
using Microsoft.AspNetCore.Http.Connections;
using MessagePack;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

// An XOR job (2-2-1 sigmoid, BCE, lr 0.5, full batch, SGD, seed 42) through the service against the bare engine
// (TrainingSession.Run with an empty callback), alternating A, B in one run; then the p99 of an idle
// GET /api/jobs/{id} while a job trains. The service is already running at --url (bench/Service.Benchmarks/run.sh).
// With --service-pid (run.sh passes it) the CPU time each side used is compared too: on a machine shared with other
// work, wall-clock ratios swing with the load; CPU-time ratios show the service's own overhead.
// --no-subscriber runs the jobs with nobody on their stream, to tell the cost of streaming from the rest.
// --protocol messagepack subscribes with SignalR's MessagePack protocol instead of JSON (same message, binary numbers).
// --workload mnist measures the mnist-like job instead (MnistBenchmark.cs): a job's wall time against the bare engine's,
// and two concurrent jobs' throughput against one's; there --epochs is the epochs per job (default 200, ~1.5 s a job;
// a few for a smoke run) and --requests, --no-subscriber, --protocol do not apply; --gradient-norms sets
// recordGradientNorms on both sides (the job and the bare engine), to compare with a run without it.
// --workload sweep measures a sweep of --trials XOR trials (default 1,000 × 10,000 epochs) against the bare engine
// training the same runs on --concurrency threads (SweepBenchmark.cs).
// Usage: --url http://127.0.0.1:5098 [--workload xor|mnist|sweep] [--trials 1000] [--concurrency 2] [--service-pid N] [--epochs 100000,1000000] [--runs 3] [--requests 2000] [--no-subscriber] [--protocol json|messagepack] [--intra-op-threads N] [--gradient-norms]
// The bare engine runs with the service's default Training:IntraOpThreads (1) unless --intra-op-threads says otherwise.
EngineThreading.MaxDegreeOfParallelism = 1;
var options = Options.Parse(args);
using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromMinutes(10) };
if (options.Workload == "mnist") return await MnistBenchmark.RunAsync(http, options);
if (options.Workload == "sweep") return await SweepBenchmark.RunAsync(http, options);
var networkId = await ServiceJobs.CreateAsync(http, "/api/networks", """
    { "name": "xor", "inputs": 2,
      "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ],
      "loss": "binary_cross_entropy" }
    """);
var datasetId = await ServiceJobs.CreateAsync(http, "/api/datasets", """
    { "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }
    """);

Console.WriteLine($"machine: {Environment.ProcessorCount} cores; service at {options.Url}; {(options.Subscribe ? $"a SignalR subscriber ({options.Protocol} protocol) on every job" : "no subscriber")}");
Console.WriteLine($"load average at start: {LoadAverage.Read()}");
Console.WriteLine("| epochs | bare engine (ms) | through the service (ms) | wall ratio (median of pairs) | CPU ratio (median of pairs) | epochs streamed |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
foreach (var epochs in options.Epochs)
{
    var bare = new List<double>();
    var service = new List<double>();
    var ratios = new List<double>();
    var cpuRatios = new List<double>();
    long streamedTotal = 0;
    // Warm-up of both sides (JIT, tiering, the service's first job), not counted.
    Bare(epochs);
    await ThroughServiceAsync(http, options, networkId, datasetId, Math.Min(epochs, 20_000));
    for (var run = 0; run < options.Runs; run++)
    {
        var (b, bareCpu) = Bare(epochs);
        var (s, serviceCpu, streamed) = await ThroughServiceAsync(http, options, networkId, datasetId, epochs);
        bare.Add(b);
        service.Add(s);
        ratios.Add(s / b);
        if (serviceCpu > 0) cpuRatios.Add(serviceCpu / bareCpu);
        streamedTotal = streamed;
    }
    var cpu = cpuRatios.Count > 0 ? PairedFigures.Median(cpuRatios).ToString("F2", CultureInfo.InvariantCulture) + "×" : "(no --service-pid)";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {epochs:N0} | {PairedFigures.MedianAndValues(bare, "F0")} | {PairedFigures.MedianAndValues(service, "F0")} | {PairedFigures.MedianAndValues(ratios, "F2", "×")} | {cpu} | {streamedTotal:N0} |"));
}

await IdleLatencyAsync(http, networkId, datasetId, options.Requests);
return 0;

static (double Milliseconds, double CpuMilliseconds) Bare(int epochs)
{
    var network = Network.FromLayers(new LayeredNetworkDefinition(2, [new LayerDefinition(2, "sigmoid"), new LayerDefinition(1, "sigmoid")], "binary_cross_entropy"));
    var data = new TrainingData([0, 0, 0, 1, 1, 0, 1, 1], [0, 1, 1, 0], 4, 2, 1);
    var settings = new TrainingSettings { Epochs = epochs, LearningRate = 0.5, Optimizer = "sgd", BatchSize = null, Seed = 42 };
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var session = TrainingSession.Start(network, data, settings);
    var outcome = session.Run(static _ => { }, CancellationToken.None);
    var elapsed = clock.Elapsed.TotalMilliseconds;
    var cpuElapsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
    if (outcome is not TrainingOutcome.Completed || session.EpochsCompleted != epochs)
        throw new InvalidOperationException($"The bare run ended {outcome} after {session.EpochsCompleted} epochs.");
    return (elapsed, cpuElapsed);
}

// A job through the API with a SignalR subscriber on its stream; the time is the job's own startedAt → finishedAt,
// the CPU time is all the service process used from the submission until the end was seen (0 without its pid).
static async Task<(double Milliseconds, double CpuMilliseconds, long Streamed)> ThroughServiceAsync(HttpClient http, Options options, string networkId, string datasetId, int epochs)
{
    var (url, servicePid, subscribe) = (options.Url, options.ServicePid, options.Subscribe);
    var builder = new HubConnectionBuilder()
        .WithUrl(new Uri(url, "/hubs/training"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; });
    if (options.Protocol == "messagepack") builder.AddMessagePackProtocol();
    await using var hub = builder.Build();
    long streamed = 0;
    var lastEpoch = 0;
    var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    hub.On<StreamedEpochs>("epochs", message =>
    {
        foreach (var point in message.Points)
        {
            if (point.Epoch <= lastEpoch) throw new InvalidOperationException($"Epoch {point.Epoch} streamed after {lastEpoch}.");
            lastEpoch = point.Epoch;
            streamed++;
        }
        if (lastEpoch == epochs) finished.TrySetResult();
    });
    // Connected before the job is submitted, as a page that is already open would be: the handshake is not the job's.
    if (subscribe) await hub.StartAsync();
    var cpu = ProcessCpu.Milliseconds(servicePid);
    var jobId = await ServiceJobs.CreateAsync(http, "/api/jobs", $$"""
        { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": {{epochs}}, "learningRate": 0.5, "seed": 42 }
        """);
    if (subscribe)
    {
        var from = (await hub.InvokeAsync<SubscribedJob>("Subscribe", jobId)).EpochsCompleted;
        lastEpoch = from;
        if (from == epochs) finished.TrySetResult();
        await finished.Task.WaitAsync(TimeSpan.FromMinutes(10));
    }
    JsonNode job;
    while (true)
    {
        job = (await http.GetFromJsonAsync<JsonNode>($"/api/jobs/{jobId}"))!;
        if (job["status"]!.GetValue<string>() is "succeeded" or "failed" or "cancelled") break;
        await Task.Delay(20);
    }
    if (job["status"]!.GetValue<string>() != "succeeded") throw new InvalidOperationException($"Job {jobId} ended {job["status"]}.");
    var history = (await http.GetFromJsonAsync<JsonNode>($"/api/jobs/{jobId}/history?after={epochs - 1}"))!["points"]!.AsArray();
    if (history.Count != 1 || history[0]!["epoch"]!.GetValue<int>() != epochs) throw new InvalidOperationException($"Job {jobId}'s history does not end at {epochs}.");
    var cpuUsed = servicePid is null ? 0 : ProcessCpu.Milliseconds(servicePid) - cpu;
    var started = job["startedAt"]!.GetValue<DateTimeOffset>();
    var ended = job["finishedAt"]!.GetValue<DateTimeOffset>();
    return ((ended - started).TotalMilliseconds, cpuUsed, streamed);
}

// Sequential GETs of another job while a long job trains: the latency a client sees on an idle endpoint.
static async Task IdleLatencyAsync(HttpClient http, string networkId, string datasetId, int requests)
{
    var idle = await ServiceJobs.CreateAsync(http, "/api/jobs", $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10, "learningRate": 0.5, "seed": 42 }""");
    var training = await ServiceJobs.CreateAsync(http, "/api/jobs", $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10000000, "learningRate": 0.5, "seed": 42 }""");
    while ((await http.GetFromJsonAsync<JsonNode>($"/api/jobs/{training}"))!["status"]!.GetValue<string>() != "running") await Task.Delay(20);
    for (var i = 0; i < 200; i++) (await http.GetAsync($"/api/jobs/{idle}")).EnsureSuccessStatusCode();
    var latencies = new double[requests];
    for (var i = 0; i < requests; i++)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync($"/api/jobs/{idle}");
        await response.Content.ReadAsByteArrayAsync();
        latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
    }
    var job = (await http.GetFromJsonAsync<JsonNode>($"/api/jobs/{training}"))!;
    var stillRunning = job["status"]!.GetValue<string>() == "running";
    (await http.PostAsync($"/api/jobs/{training}/cancel", null)).EnsureSuccessStatusCode();
    Array.Sort(latencies);
    Console.WriteLine($"load average at the end: {LoadAverage.Read()}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"GET /api/jobs/{{id}} while a job trains ({requests} sequential requests, job still running: {stillRunning}, at epoch {job["epochsCompleted"]}): p50 {latencies[requests / 2]:F2} ms, p99 {latencies[(int)(requests * 0.99) - 1]:F2} ms, max {latencies[^1]:F2} ms"));
}

// The contract's epochs message, read into types as a .NET client would (by either protocol: the MessagePack keys
// are the JSON names).
[MessagePackObject]
public sealed class StreamedEpochs
{
    [Key("jobId")] public string JobId { get; set; } = "";
    [Key("points")] public StreamedPoint[] Points { get; set; } = [];
}

[MessagePackObject]
public sealed class SubscribedJob
{
    [Key("epochsCompleted")] public int EpochsCompleted { get; set; }
}

[MessagePackObject]
public struct StreamedPoint
{
    [Key("epoch")] public int Epoch { get; set; }
    [Key("cost")] public double? Cost { get; set; }
    [Key("validationCost")] public double? ValidationCost { get; set; }
}

internal sealed record Options(Uri Url, int[] Epochs, int Runs, int Requests, int? ServicePid, bool Subscribe, string Protocol, string Workload, int Trials = 1000, int Concurrency = 2, bool GradientNorms = false)
{
    public static Options Parse(string[] args)
    {
        var url = new Uri("http://127.0.0.1:5098");
        int[] epochs = [100_000, 1_000_000];
        var runs = 3;
        var requests = 2000;
        int? servicePid = null;
        var subscribe = true;
        var protocol = "json";
        var workload = "xor";
        var epochsGiven = false;
        var trials = 1000;
        var concurrency = 2;
        var xorOnlyGiven = false;
        var gradientNorms = args.Contains("--gradient-norms");
        if (args.Contains("--no-subscriber")) (subscribe, xorOnlyGiven) = (false, true);
        args = args.Where(a => a is not "--no-subscriber" and not "--gradient-norms").ToArray();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--url": url = new Uri(args[i + 1]); break;
                case "--epochs": epochs = args[i + 1].Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToArray(); epochsGiven = true; break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--requests": requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture); xorOnlyGiven = true; break;
                case "--service-pid": servicePid = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--protocol" when args[i + 1] is "json" or "messagepack": protocol = args[i + 1]; xorOnlyGiven = true; break;
                case "--workload" when args[i + 1] is "xor" or "mnist" or "sweep": workload = args[i + 1]; break;
                case "--trials": trials = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                // The bare side's counterpart of the service's Training:IntraOpThreads (run.sh passes both).
                case "--intra-op-threads":
                    var threads = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    EngineThreading.MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount;
                    break;
                default: throw new ArgumentException($"Unknown option {args[i]}; see the comment at the top of Program.cs.");
            }
        }
        if (workload == "mnist")
        {
            if (xorOnlyGiven) throw new ArgumentException("--requests, --no-subscriber and --protocol apply to the xor workload only.");
            if (!epochsGiven) epochs = [MnistLikeJob.DefaultEpochs];
        }
        if (workload == "sweep")
        {
            if (xorOnlyGiven) throw new ArgumentException("--requests, --no-subscriber and --protocol apply to the xor workload only.");
            if (!epochsGiven) epochs = [10_000];
        }
        if (gradientNorms && workload != "mnist") throw new ArgumentException("--gradient-norms applies to the mnist workload only.");
        return new Options(url, epochs, runs, requests, servicePid, subscribe, protocol, workload, trials, concurrency, gradientNorms);
    }
}
