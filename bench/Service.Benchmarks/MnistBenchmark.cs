using System.Globalization;

namespace BackpropService.Service.Benchmarks;

/// <summary>
/// `--workload mnist`: the mnist-like job (<see cref="MnistLikeJob"/>) through the service against the bare engine, for
/// two targets of the performance issue. Each run measures, in this order: the job alone on the bare engine, the job
/// alone through the service (adjacent, so their ratio is a fair pair on a machine whose load drifts), then two at
/// once on the bare engine, two at once through the service. The alone runs serve both targets:
/// <see cref="MnistWallTimeTable"/> (a job's wall time ≤ 1.1× the engine's) and <see cref="MnistScalingTable"/>
/// (two concurrent jobs' throughput ≥ 1.8× one job's with MaxConcurrentJobs = 2 on 2 cores).
/// </summary>
internal static class MnistBenchmark
{
    public static async Task<int> RunAsync(HttpClient http, Options options)
    {
        var datasetJson = MnistLikeDataset.Json();
        var networkId = await ServiceJobs.CreateAsync(http, "/api/networks", MnistLikeJob.NetworkJson);
        var datasetId = await ServiceJobs.CreateAsync(http, "/api/datasets", datasetJson);
        var data = MnistLikeDataset.Parse(datasetJson);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine: {Environment.ProcessorCount} cores; service at {options.Url} (run.sh starts it with Training__MaxConcurrentJobs=2); jobs polled, no subscriber"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"workload: mnist-like {MnistLikeJob.Inputs}-{MnistLikeJob.Hidden}-{MnistLikeJob.Classes} ReLU, softmax cross-entropy, batch {MnistLikeJob.BatchSize}, SGD lr {MnistLikeJob.LearningRate}, seed {MnistLikeJob.Seed}, recordGradientNorms {(options.GradientNorms ? "on" : "off")}; {data.Rows:N0} rows posted once ({datasetJson.Length / 1e6:F1} MB of JSON), the bare engine parses the same JSON"));
        Console.WriteLine($"load average at start: {LoadAverage.Read()}");

        var results = new List<(int Epochs, List<MnistRun> Runs)>();
        foreach (var epochs in options.Epochs)
        {
            // Warm-up of both sides (the service's first job of this network and dataset, the engine's buffers), not counted.
            var warmUp = Math.Min(epochs, 5);
            BareEngineJobs.RunAlone(data, warmUp, options.GradientNorms);
            await ServiceJobs.RunAloneAsync(http, null, networkId, datasetId, warmUp, options.GradientNorms);
            var runs = new List<MnistRun>();
            for (var run = 0; run < options.Runs; run++)
            {
                var (bareAlone, bareCpu) = BareEngineJobs.RunAlone(data, epochs, options.GradientNorms);
                var (serviceAlone, serviceCpu) = await ServiceJobs.RunAloneAsync(http, options.ServicePid, networkId, datasetId, epochs, options.GradientNorms);
                var bareTogether = BareEngineJobs.RunTogether(data, epochs, 2, options.GradientNorms);
                var serviceTogether = await ServiceJobs.RunTogetherAsync(http, networkId, datasetId, epochs, 2, options.GradientNorms);
                runs.Add(new MnistRun(bareAlone, bareCpu, serviceAlone, serviceCpu, bareTogether, serviceTogether));
            }
            results.Add((epochs, runs));
        }
        Console.WriteLine($"load average at the end: {LoadAverage.Read()}");
        Console.WriteLine();
        MnistWallTimeTable.Print(results);
        Console.WriteLine();
        MnistScalingTable.Print(results, MnistLikeDataset.Rows);
        return 0;
    }
}

/// <summary>One run's measurements: each side alone (with CPU time; 0 when unknown) and two at once.</summary>
internal sealed record MnistRun(JobSpan BareAlone, double BareCpuMilliseconds, JobSpan ServiceAlone, double ServiceCpuMilliseconds,
    JobSpan[] BareTogether, JobSpan[] ServiceTogether);
