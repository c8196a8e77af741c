using static BackpropService.Engine.Tests.Training.TrainingSessionTests;

namespace BackpropService.Engine.Tests.Training;

public class EarlyStoppingTests
{
    // A rate so small that no epoch improves the cost by more than minDelta: a plateau from epoch 1.
    private static TrainingSettings Plateau(int patience) => new()
    {
        Epochs = 1000, LearningRate = 1e-6, Seed = 7,
        EarlyStopping = new() { Patience = patience, MinDelta = 1e-3 },
    };

    [Fact]
    public void APlateauStopsAfterPatienceEpochsWithTheFirstEpochBest()
    {
        var session = TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), Plateau(5));
        var run = Train(session);
        Assert.Equal(TrainingOutcome.StoppedEarly, run.Outcome);
        Assert.Equal(6, run.History.Count);
        Assert.Equal(1, session.BestEpoch);
        Assert.Equal(run.History[0].Cost, session.BestMetric);
    }

    [Fact]
    public void ARunThatKeepsImprovingTrainsEveryEpoch()
    {
        // Seed 7's XOR cost falls in every one of its first 300 epochs at rate 0.5 (checked below), so patience 1 never runs out.
        var settings = new TrainingSettings { Epochs = 300, LearningRate = 0.5, Seed = 7, EarlyStopping = new() { Patience = 1 } };
        var session = TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), settings);
        var run = Train(session);
        Assert.All(run.History.Skip(1), (r, i) => Assert.True(r.Cost < run.History[i].Cost, $"epoch {r.Epoch} did not improve"));
        Assert.Equal(TrainingOutcome.Completed, run.Outcome);
        Assert.Equal(300, session.BestEpoch);
        AssertSameBits(run.Parameters, session.BestParameters()!);
    }

    [Fact]
    public void TheValidationCostIsTheDefaultMetricAndTheBestEpochsParametersAreKept()
    {
        // Adam at a high rate on 30 rows overfits: the validation cost rises after its best epoch and the run stops.
        var settings = Batched("adam", 400) with { LearningRate = 0.2, EarlyStopping = new() { Patience = 20 } };
        var session = TrainingSession.Start(Quadrants, QuadrantData(), settings);
        IReadOnlyList<NamedTensor>? atBest = null;
        var run = Train(session, onEpoch: (report, s) => { if (report.Epoch == s.BestEpoch) atBest = s.Parameters(); });
        Assert.Equal(TrainingOutcome.StoppedEarly, run.Outcome);
        var best = run.History.MinBy(r => r.ValidationCost)!;
        Assert.Equal(best.Epoch, session.BestEpoch);
        Assert.Equal(best.ValidationCost, session.BestMetric);
        Assert.Equal(best.Epoch + 20, run.History[^1].Epoch);
        AssertSameBits(atBest!, session.BestParameters()!);
    }

    [Fact]
    public void WithoutRestoreBestNoParametersAreKept()
    {
        var settings = Plateau(3) with { EarlyStopping = new() { Patience = 3, MinDelta = 1e-3, RestoreBest = false } };
        var session = TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), settings);
        Assert.Equal(TrainingOutcome.StoppedEarly, Train(session).Outcome);
        Assert.Equal(1, session.BestEpoch);
        Assert.Null(session.BestParameters());
    }

    [Fact]
    public void TheTargetCostEndsTheRunWhenItComesFirst()
    {
        // Cost is ~0.69 at epoch 1; a target of 1 is met at once, before any patience can run out.
        var session = TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), Plateau(1) with { TargetCost = 1 });
        var run = Train(session);
        Assert.Equal(TrainingOutcome.TargetReached, run.Outcome);
        Assert.Single(run.History);
    }

    [Fact]
    public void EarlyStoppingEndsTheRunWhenItComesFirst()
    {
        var run = Train(TrainingSession.Start(XorNetwork.Create(), XorNetwork.Data(), Plateau(2) with { TargetCost = 0.01 }));
        Assert.Equal(TrainingOutcome.StoppedEarly, run.Outcome);
        Assert.Equal(3, run.History.Count);
    }

    [Theory]
    [InlineData(5)]  // before the stop, after the best epoch
    [InlineData(40)] // with the patience already spent: the resumed run stops at once
    public void ResumingAfterTheBestEpochRestoresExactlyItsParameters(int checkpointEpoch)
    {
        var settings = Batched("adam", 400) with { LearningRate = 0.2, EarlyStopping = new() { Patience = 20 } };
        var uninterrupted = TrainingSession.Start(Quadrants, QuadrantData(), settings);
        var whole = Train(uninterrupted);
        var bestEpoch = uninterrupted.BestEpoch!.Value;
        var stopAt = checkpointEpoch == 40 ? whole.History[^1].Epoch : bestEpoch + checkpointEpoch;

        byte[]? checkpoint = null;
        using var stop = new CancellationTokenSource();
        var firstPart = Train(TrainingSession.Start(Quadrants, QuadrantData(), settings), stop.Token, (report, session) =>
        {
            if (report.Epoch != stopAt) return;
            checkpoint = session.SaveCheckpoint();
            stop.Cancel();
        });
        var resumed = TrainingSession.Resume(Quadrants, QuadrantData(), settings, checkpoint!);
        Assert.Equal(bestEpoch, resumed.BestEpoch);
        var secondPart = Train(resumed);
        Assert.Equal(TrainingOutcome.StoppedEarly, secondPart.Outcome);
        AssertSameBits(whole.History, [.. firstPart.History, .. secondPart.History]);
        Assert.Equal(uninterrupted.BestMetric, resumed.BestMetric);
        AssertSameBits(uninterrupted.BestParameters()!, resumed.BestParameters()!);
    }
}
