using BackpropService.Api.Testing;
using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests;

/// <summary>The v1.1 job fields: a schedule, clipping and early stopping go out; the rate, the best epoch and the queue position come back.</summary>
public sealed class TrainingControlsTests
{
    [Fact]
    public async Task EarlyStoppingEndsTheJobWithItsBestEpochAndTheScheduledRateIsReported()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        // No cost falls by more than 1 in an epoch: the job stops once `patience` epochs passed without that.
        var job = await client.CreateJobAsync(Xor.Job(epochs: 1000) with
        {
            LearningRateSchedule = new LearningRateSchedule { Type = "exponential", Gamma = 0.5 },
            ClipGradNorm = 1.0,
            EarlyStopping = new EarlyStopping { Metric = "cost", Patience = 3, MinDelta = 1.0 },
        });

        var finished = await client.FinishAsync(job.Id);

        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.True(finished.StoppedEarly);
        Assert.Equal(1, finished.BestEpoch);
        Assert.Equal(4, finished.EpochsCompleted);
        Assert.NotNull(finished.BestMetric);
        // Epoch 4 of lr·0.5^(e−1).
        Assert.Equal(0.5 * Math.Pow(0.5, 3), finished.CurrentLearningRate!.Value, 1e-9);
        // The schedule comes back as requested (the service fills its defaults: no minimum, no warm-up).
        Assert.Equal(("exponential", 0.5, 0), (finished.LearningRateSchedule?.Type, finished.LearningRateSchedule?.Gamma, finished.LearningRateSchedule?.WarmupEpochs));
        Assert.Null(finished.QueuePosition);
    }

    [Fact]
    public async Task AJobWithoutEarlyStoppingHasNoBestEpochAndABadScheduleIsAFieldError()
    {
        await using var service = TestService.Start();
        using var client = service.Client();

        var finished = await client.FinishAsync((await client.CreateJobAsync(Xor.Job(epochs: 20))).Id);
        var bad = await Assert.ThrowsAsync<BackpropApiException>(() => client.CreateJobAsync(Xor.Job(epochs: 20) with
        {
            LearningRateSchedule = new LearningRateSchedule { Type = "step", StepSize = 0, Gamma = 0.5 },
        }));

        Assert.False(finished.StoppedEarly);
        Assert.Null(finished.BestEpoch);
        Assert.Null(finished.BestMetric);
        Assert.Equal(0.5, finished.CurrentLearningRate);
        Assert.Equal(400, bad.Status);
        Assert.Contains(bad.Errors.Keys, key => key.StartsWith("learningRateSchedule", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AQueuedJobShowsItsQueuePosition()
    {
        await using var service = TestService.Start(new Dictionary<string, string?> { ["Training:MaxConcurrentJobs"] = "1" });
        using var hold = EpochHold.Arm(service.App.InstanceName, 1);
        using var client = service.Client();
        var running = await client.CreateJobAsync(Xor.Job(epochs: 1000));
        Assert.Equal(running.Id, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));

        var first = await client.CreateJobAsync(Xor.Job(epochs: 10));
        var second = await client.CreateJobAsync(Xor.Job(epochs: 10, seed: 7));

        Assert.Equal(1, (await client.GetJobAsync(first.Id)).QueuePosition);
        Assert.Equal(2, (await client.GetJobAsync(second.Id)).QueuePosition);
        Assert.Null((await client.GetJobAsync(running.Id)).QueuePosition);
        await client.CancelJobAsync(running.Id);
        hold.Release();
    }
}
