using System.Net;

namespace BackpropService.Api.Tests.Jobs;

public sealed class CancelRaceTests
{
    /// <summary>
    /// Cancels jobs at random moments around their end. Whatever the timing, each job ends in one state that agrees
    /// with the answer the client got: 202 means it ends cancelled, 409 means it had already finished otherwise.
    /// </summary>
    [Fact]
    public async Task CancelRacingTheFinishEndsInOneConsistentState()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var random = new Random(7);
        var outcomes = new List<(string Job, HttpStatusCode Cancel)>();
        for (var i = 0; i < 12; i++)
        {
            var job = await client.CreateJobAsync(networkId, datasetId, 3000);
            await Task.Delay(random.Next(0, 120));
            var (status, _, _) = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/cancel");
            Assert.True(status is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"cancel → {(int)status}");
            var second = await client.SendAsync(HttpMethod.Post, $"/api/jobs/{job}/cancel");
            Assert.True(second.Status is HttpStatusCode.Accepted or HttpStatusCode.Conflict);
            outcomes.Add((job, status));
        }

        foreach (var (job, cancel) in outcomes)
        {
            var final = await client.WaitForJobAsync(job, JobClient.IsFinished);
            Assert.Equal(cancel == HttpStatusCode.Accepted ? "cancelled" : "succeeded", final["status"]!.GetValue<string>());
            var history = await client.HistoryAsync(job);
            Assert.Equal(final["epochsCompleted"]!.GetValue<int>(), history.Count);
            Assert.Equal(Enumerable.Range(1, history.Count), history.Select(p => p.Epoch));
        }
    }
}
