using System.Diagnostics;

namespace BackpropService.LoadTest;

/// <summary><paramref name="count"/> tiny jobs submitted at once: every one is accepted and every one finishes.</summary>
public static class BurstScenario
{
    public sealed record Result(int Submitted, int Succeeded, double SubmitSeconds, double AllFinishedSeconds)
    {
        public override string ToString() =>
            $"{Submitted} tiny jobs submitted at once: all accepted in {SubmitSeconds:F2} s, {Succeeded} succeeded, all finished after {AllFinishedSeconds:F1} s";
    }

    public static async Task<Result> RunAsync(LoadClient client, int count, int epochs, TimeSpan timeout)
    {
        var (networkId, datasetId) = await client.CreateXorAsync();
        var clock = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, count).Select(i => client.CreateJobAsync(networkId, datasetId, epochs, seed: i)));
        var submitted = clock.Elapsed;
        var finished = await Task.WhenAll(ids.Select(id => client.WaitFinishedAsync(id, timeout)));
        var succeeded = finished.Count(j => j["status"]!.GetValue<string>() == "succeeded" && j["epochsCompleted"]!.GetValue<int>() == epochs);
        return new Result(count, succeeded, submitted.TotalSeconds, clock.Elapsed.TotalSeconds);
    }
}
