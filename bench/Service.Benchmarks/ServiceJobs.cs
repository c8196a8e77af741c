using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BackpropService.Service.Benchmarks;

/// <summary>Jobs through the running service: POST them (CreateAsync, also the XOR side's), poll GET /api/jobs/{id} until they end.</summary>
internal static class ServiceJobs
{
    /// <summary>One job alone, and the CPU time the service process used from its submission until its end was seen
    /// (0 without --service-pid).</summary>
    public static async Task<(JobSpan Span, double CpuMilliseconds)> RunAloneAsync(HttpClient http, int? servicePid, string networkId, string datasetId, int epochs, bool gradientNorms)
    {
        var cpu = ProcessCpu.Milliseconds(servicePid);
        var id = await CreateAsync(http, "/api/jobs", MnistLikeJob.JobJson(networkId, datasetId, epochs, gradientNorms));
        var span = await WaitAsync(http, id, epochs);
        return (span, servicePid is null ? 0 : ProcessCpu.Milliseconds(servicePid) - cpu);
    }

    /// <summary><paramref name="count"/> jobs submitted at once (concurrent POSTs); returns when all have ended.</summary>
    public static async Task<JobSpan[]> RunTogetherAsync(HttpClient http, string networkId, string datasetId, int epochs, int count, bool gradientNorms)
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(_ => CreateAsync(http, "/api/jobs", MnistLikeJob.JobJson(networkId, datasetId, epochs, gradientNorms))));
        return await Task.WhenAll(ids.Select(id => WaitAsync(http, id, epochs)));
    }

    public static async Task<string> CreateAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    // The polling interval only delays when the benchmark notices the end; the figures are the job's own timestamps.
    // It is long on purpose: each poll costs the service CPU that two concurrent jobs would otherwise train with.
    private static async Task<JobSpan> WaitAsync(HttpClient http, string jobId, int epochs)
    {
        while (true)
        {
            var job = (await http.GetFromJsonAsync<JsonNode>($"/api/jobs/{jobId}"))!;
            var status = job["status"]!.GetValue<string>();
            if (status is "queued" or "running")
            {
                await Task.Delay(250);
                continue;
            }
            if (status != "succeeded" || job["epochsCompleted"]!.GetValue<int>() != epochs)
                throw new InvalidOperationException($"Job {jobId} ended {status} after {job["epochsCompleted"]} epochs: {job["error"]}");
            return new JobSpan(job["startedAt"]!.GetValue<DateTimeOffset>(), job["finishedAt"]!.GetValue<DateTimeOffset>(),
                job["cost"]?.GetValue<double>() ?? double.NaN);
        }
    }
}
