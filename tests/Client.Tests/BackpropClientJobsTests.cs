using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests;

/// <summary>Jobs and their results against the service in-process.</summary>
public sealed class BackpropClientJobsTests
{
    [Fact]
    public async Task AJobTrainsAndItsHistoryWeightsPredictionsAndGraphsAreRead()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var job = await client.CreateJobAsync(Xor.Job(epochs: 3000));
        Assert.Contains(job.Status, new[] { JobStatus.Queued, JobStatus.Running });
        var finished = await client.FinishAsync(job.Id);
        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.Equal(3000, finished.EpochsCompleted);

        // Paged in small pages, the history is still 1..N in order.
        var history = await client.GetHistoryAsync(job.Id, pageSize: 700).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 3000), history.Select(p => p.Epoch));
        var page = await client.GetHistoryPageAsync(job.Id, after: 2990, limit: 5);
        Assert.Equal([2991, 2992, 2993, 2994, 2995], page.Points.Select(p => p.Epoch));
        Assert.Equal(history[^1].Cost, finished.Cost);

        var weights = await client.GetWeightsAsync(job.Id);
        Assert.Equal(3000, weights.Epoch);
        Assert.Equal(["layers.0.weights", "layers.0.bias", "layers.1.weights", "layers.1.bias"], weights.Parameters.Select(p => p.Name));
        Assert.Equal([2, 2], weights.Parameters[0].Shape);

        var outputs = await client.PredictAsync(job.Id, [[0, 1], [1, 1]]);
        Assert.Equal(2, outputs.Count);
        Assert.All(outputs, row => Assert.Single(row));

        var graph = await client.GetJobGraphAsync(job.Id);
        Assert.NotEmpty(graph.Edges);
        var evaluated = await client.EvaluateJobGraphAsync(job.Id, row: 1);
        Assert.Contains(evaluated.Nodes, n => n.Gradient is not null);
        var unrolled = await client.EvaluateJobGraphAsync(job.Id, row: 1, unroll: true);
        Assert.True(unrolled.Nodes.Count > evaluated.Nodes.Count);
        Assert.All(unrolled.Edges, e => Assert.NotNull(e.LocalDerivative));
    }

    [Fact]
    public async Task EachSubmissionGetsItsOwnIdempotencyKeyAndAGivenKeyReplaysTheSameJob()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var request = Xor.Job(epochs: 10);

        var first = await client.CreateJobAsync(request);
        var second = await client.CreateJobAsync(request);
        var keyed = await client.CreateJobAsync(request, idempotencyKey: "my-key-1");
        var replayed = await client.CreateJobAsync(request, idempotencyKey: "my-key-1");

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(keyed.Id, replayed.Id);
        var clash = await Assert.ThrowsAsync<BackpropApiException>(() => client.CreateJobAsync(request with { Epochs = 11 }, idempotencyKey: "my-key-1"));
        Assert.Equal(422, clash.Status);
    }

    [Fact]
    public async Task JobsAreListedNewestFirstByStatusWithACursor()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((await client.CreateJobAsync(Xor.Job(epochs: 5, seed: (ulong)i))).Id);
        foreach (var id in ids) await client.FinishAsync(id);

        var first = await client.ListJobsAsync(JobStatus.Succeeded, limit: 2);
        var rest = await client.ListJobsAsync(JobStatus.Succeeded, limit: 2, cursor: first.Next);

        Assert.Equal(ids.AsEnumerable().Reverse(), first.Items.Concat(rest.Items).Select(j => j.Id));
        Assert.Null(rest.Next);
        Assert.Empty((await client.ListJobsAsync(JobStatus.Running)).Items);
    }

    [Fact]
    public async Task ARunningJobIsCancelledAndCancellingItAgainIsAConflict()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var job = await client.CreateJobAsync(Xor.Job(epochs: 5_000_000));

        var cancelled = await client.CancelJobAsync(job.Id);
        Assert.Contains(cancelled.Status, new[] { JobStatus.Cancelled, JobStatus.Running, JobStatus.Queued });
        Assert.Equal(JobStatus.Cancelled, (await client.FinishAsync(job.Id)).Status);

        var again = await Assert.ThrowsAsync<BackpropApiException>(() => client.CancelJobAsync(job.Id));
        Assert.Equal(409, again.Status);
    }

    [Fact]
    public async Task InvalidJobsAndRequestsAreProblemsWithFieldErrors()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var invalid = await Assert.ThrowsAsync<BackpropApiException>(() => client.CreateJobAsync(Xor.Job(epochs: 0) with { LearningRate = -1 }));
        Assert.Equal(400, invalid.Status);
        Assert.Contains("epochs", invalid.Errors.Keys);
        Assert.Contains("learningRate", invalid.Errors.Keys);

        var job = await client.CreateJobAsync(Xor.Job(epochs: 20));
        await client.FinishAsync(job.Id);
        var width = await Assert.ThrowsAsync<BackpropApiException>(() => client.PredictAsync(job.Id, [[0, 1, 2]]));
        Assert.Equal(400, width.Status);
        var row = await Assert.ThrowsAsync<BackpropApiException>(() => client.EvaluateJobGraphAsync(job.Id, row: 99));
        Assert.Equal(400, row.Status);
        Assert.Contains("row", row.Errors.Keys);
        var unknown = await Assert.ThrowsAsync<BackpropApiException>(() => client.GetWeightsAsync("missing"));
        Assert.Equal(404, unknown.Status);
        var history = await Assert.ThrowsAsync<BackpropApiException>(() => client.GetHistoryAsync("missing").ToListAsync().AsTask());
        Assert.Equal(404, history.Status);
    }
}
