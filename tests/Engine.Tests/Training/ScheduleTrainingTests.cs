using static BackpropService.Engine.Tests.Training.TrainingSessionTests;

namespace BackpropService.Engine.Tests.Training;

/// <summary>Schedules and clipping inside training runs: the rate each epoch really used, and resumes across them.</summary>
public class ScheduleTrainingTests
{
    [Fact]
    public void EachEpochTrainsWithItsScheduledRate()
    {
        // A step schedule that multiplies the rate by 1e-30 after epoch 1: float32 weights cannot move by lr·1e-30·g,
        // so five epochs must end exactly where one epoch at the full rate ends.
        var oneEpoch = new TrainingSettings { Epochs = 1, LearningRate = 0.5, Seed = 7 };
        var expected = Train(TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), oneEpoch));
        var scheduled = Train(TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), oneEpoch with
        {
            Epochs = 5, LearningRateSchedule = new() { Type = "step", StepSize = 1, Gamma = 1e-30 },
        }));
        Assert.Equal(5, scheduled.History.Count);
        AssertSameBits(expected.Parameters, scheduled.Parameters);
    }

    [Fact]
    public void AWarmupEpochTrainsAtItsFractionOfTheRate()
    {
        // Warm-up over 4 epochs: epoch 1 trains at 0.5/4, the same bits as a one-epoch run at 0.125.
        var expected = Train(TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), new() { Epochs = 1, LearningRate = 0.125, Seed = 7 }));
        var warm = TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), new()
        {
            Epochs = 10, LearningRate = 0.5, Seed = 7, LearningRateSchedule = new() { Type = "cosine", WarmupEpochs = 4 },
        });
        using var stop = new CancellationTokenSource();
        Train(warm, stop.Token, (_, _) => stop.Cancel());
        AssertSameBits(expected.Parameters, warm.Parameters());
    }

    [Theory]
    [InlineData("sgd", 5)]      // in the warm-up (epochs 1..10)
    [InlineData("adam", 5)]
    [InlineData("momentum", 20)] // in the cosine cycle (epochs 11..30)
    [InlineData("adam", 20)]
    public void ResumingInsideAWarmupOrACosineCycleEndsBitIdentical(string optimizer, int checkpointEpoch)
    {
        var settings = Batched(optimizer) with
        {
            LearningRateSchedule = new() { Type = "cosine", MinLearningRate = 0.001, WarmupEpochs = 10 }, ClipGradNorm = 0.5,
        };
        var uninterrupted = Train(TrainingSession.Start(Quadrants, QuadrantData(), settings));

        byte[]? checkpoint = null;
        using var stop = new CancellationTokenSource();
        var firstPart = Train(TrainingSession.Start(Quadrants, QuadrantData(), settings), stop.Token, (report, session) =>
        {
            if (report.Epoch != checkpointEpoch) return;
            checkpoint = session.SaveCheckpoint();
            stop.Cancel();
        });
        var secondPart = Train(TrainingSession.Resume(Quadrants, QuadrantData(), settings, checkpoint!));
        Assert.Equal(TrainingOutcome.Completed, secondPart.Outcome);
        AssertSameBits(uninterrupted.History, [.. firstPart.History, .. secondPart.History]);
        AssertSameBits(uninterrupted.Parameters, secondPart.Parameters);
    }

    [Fact]
    public void ClippingChangesTheRunOnlyWhenTheNormExceedsIt()
    {
        var settings = Batched("sgd");
        var plain = Train(TrainingSession.Start(Quadrants, QuadrantData(), settings));
        var loose = Train(TrainingSession.Start(Quadrants, QuadrantData(), settings with { ClipGradNorm = 1e30 }));
        var tight = Train(TrainingSession.Start(Quadrants, QuadrantData(), settings with { ClipGradNorm = 1e-3 }));
        AssertSameBits(plain.Parameters, loose.Parameters);
        Assert.NotEqual(plain.Parameters[0].Value.Values, tight.Parameters[0].Value.Values);
    }
}
