using BackpropService.Api.Training;
using BackpropService.Engine;

namespace BackpropService.Api.Tests.Training;

public sealed class EpochBufferTests
{
    [Fact]
    public async Task EveryEpochAddedWhileDrainingComesOutOnceInOrder()
    {
        using var buffer = new EpochBuffer();
        const int epochs = 300_000; // many segments, recycled while the producer runs
        var producer = Task.Run(() =>
        {
            for (var epoch = 1; epoch <= epochs; epoch++) buffer.Add(new EpochReport(epoch, epoch * 0.5, epoch % 3 == 0 ? null : -epoch));
        });
        var drained = new List<EpochReport>();
        while (!producer.IsCompleted || drained.Count < epochs)
        {
            drained.AddRange(buffer.Drain().Points);
            if (drained.Count == epochs) break;
            await Task.Yield();
        }
        await producer;

        Assert.Equal(Enumerable.Range(1, epochs), drained.Select(p => p.Epoch));
        Assert.All(drained, p => Assert.Equal(new EpochReport(p.Epoch, p.Epoch * 0.5, p.Epoch % 3 == 0 ? null : -p.Epoch), p));
        Assert.Equal(0, buffer.Drain().Points.Count);
    }

    [Fact]
    public void ANewBufferWithItsFirstEpochAllocatesNoLargeObject()
    {
        new EpochBuffer().Dispose(); // the drained array comes from a pool, warm in a running service
        var before = GC.GetAllocatedBytesForCurrentThread();

        using var buffer = new EpochBuffer();
        buffer.Add(new EpochReport(1, 0.5, null));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Less in all than the large-object threshold, so no single array of it went to the large-object heap, which
        // only full collections reclaim: one per job made a stream of small jobs a full collection every few dozen.
        Assert.InRange(allocated, 1, 84_999);
    }

    [Fact]
    public void ACheckpointIsDrainedWithThePointsUpToItsEpoch()
    {
        using var buffer = new EpochBuffer();
        for (var epoch = 1; epoch <= 5000; epoch++) buffer.Add(new EpochReport(epoch, 1, null));
        buffer.SetCheckpoint(new PendingCheckpoint(5000, [1], [2]));

        var (checkpoint, points, _) = buffer.Drain();

        Assert.Equal(5000, checkpoint!.Epoch);
        Assert.Equal(5000, points[^1].Epoch);
        var (none, empty, _) = buffer.Drain();
        Assert.Null(none);
        Assert.Equal(0, empty.Count);
    }

    [Fact]
    public void ARewriteMarkTravelsWithTheNextDrainThatHasPoints()
    {
        using var buffer = new EpochBuffer();
        buffer.MarkRewrite();
        Assert.False(buffer.Drain().Rewrite); // nothing drained: the mark waits for the points it belongs to
        buffer.Add(new EpochReport(7, 0.1, null));
        Assert.True(buffer.Drain().Rewrite);
        buffer.Add(new EpochReport(8, 0.1, null));
        Assert.False(buffer.Drain().Rewrite);
    }

    [Fact]
    public void ABoundedDrainTakesAtMostItsBoundInOrderAndLeavesTheRestForTheNext()
    {
        using var buffer = new EpochBuffer();
        const int epochs = 20_000; // several segments, bounds that end inside one and at its edge
        for (var epoch = 1; epoch <= epochs; epoch++) buffer.Add(new EpochReport(epoch, epoch, null));

        var drained = new List<int>();
        foreach (var max in new[] { 1, 4_095, 4_096, 5_000, 100_000 })
        {
            var points = buffer.Drain(max).Points;
            Assert.Equal(Math.Min(max, epochs - drained.Count), points.Count);
            drained.AddRange(points.Select(p => p.Epoch));
        }
        Assert.Equal(Enumerable.Range(1, epochs), drained);
    }

    [Fact]
    public void ADrainThroughAnEpochLeavesTheLaterOnesAndTheirCheckpointForTheNext()
    {
        using var buffer = new EpochBuffer();
        // A first segment drained to its very end while no second one is linked yet: the bound then reads the next
        // epoch from the segment linked after.
        for (var epoch = 1; epoch <= EpochBuffer.SegmentLength; epoch++) buffer.Add(new EpochReport(epoch, 1, null));
        Assert.Equal(EpochBuffer.SegmentLength, buffer.Drain(through: 5_000).Points.Count);
        for (var epoch = EpochBuffer.SegmentLength + 1; epoch <= 3_000; epoch++) buffer.Add(new EpochReport(epoch, 1, null));
        buffer.SetCheckpoint(new PendingCheckpoint(3_000, [1], [2]));

        var (early, before, _) = buffer.Drain(through: 2_999);
        Assert.Null(early);
        Assert.Equal(Enumerable.Range(EpochBuffer.SegmentLength + 1, 2_999 - EpochBuffer.SegmentLength), before.Select(p => p.Epoch));
        Assert.Equal(0, buffer.Drain(through: 2_999).Points.Count); // nothing left at or before the bound
        var (checkpoint, last, _) = buffer.Drain();
        Assert.Equal(3_000, checkpoint!.Epoch);
        Assert.Equal([3_000], last.Select(p => p.Epoch));
    }

    [Fact]
    public void ACheckpointBeyondABoundedDrainWaitsForTheDrainThatReachesItsEpoch()
    {
        using var buffer = new EpochBuffer();
        for (var epoch = 1; epoch <= 10_000; epoch++) buffer.Add(new EpochReport(epoch, 1, null));
        buffer.SetCheckpoint(new PendingCheckpoint(10_000, [1], [2]));

        var (early, first, _) = buffer.Drain(6_000);
        Assert.Null(early); // stored now, it would run ahead of the stored history
        Assert.Equal(6_000, first[^1].Epoch);
        var (checkpoint, rest, _) = buffer.Drain(6_000);
        Assert.Equal(10_000, checkpoint!.Epoch);
        Assert.Equal(10_000, rest[^1].Epoch);
    }

    [Fact]
    public void ABufferReusesTheSegmentsAnEndedJobsBufferGaveBack()
    {
        var pool = new SegmentPool();
        const int epochs = 10_000; // a sweep's trial: ten segments, drained once, at its end
        var first = new EpochBuffer(pool);
        for (var epoch = 1; epoch <= epochs; epoch++) first.Add(new EpochReport(epoch, 1, null));
        Assert.Equal(epochs, first.Drain().Points.Count);
        first.Dispose();
        Assert.Equal(epochs / EpochBuffer.SegmentLength + 1, pool.Count);

        using var second = new EpochBuffer(pool);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var epoch = 1; epoch <= epochs; epoch++) second.Add(new EpochReport(epoch, 2, null));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Not one segment (1,024 reports, ~74 KB) allocated: each came from the pool.
        Assert.InRange(allocated, 0, 8_000);
        Assert.Equal(Enumerable.Range(1, epochs), second.Drain().Points.Select(p => p.Epoch));
    }

    [Fact]
    public void ThePoolKeepsNoMoreSegmentsThanItsCapacity()
    {
        var pool = new SegmentPool(capacity: 3);
        var buffer = new EpochBuffer(pool);
        for (var epoch = 1; epoch <= 6 * EpochBuffer.SegmentLength; epoch++) buffer.Add(new EpochReport(epoch, 1, null));
        buffer.Dispose();

        Assert.Equal(3, pool.Count);
    }

    [Fact]
    public void APooledSegmentKeepsNoGradientNormsOfTheJobThatFilledIt()
    {
        var pool = new SegmentPool();
        var norms = FillAndDispose(pool);
        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.Equal(1, pool.Count);
        Assert.False(norms.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference FillAndDispose(SegmentPool pool)
    {
        var norms = new ParameterNorms(["w"], [1.0]);
        var buffer = new EpochBuffer(pool);
        buffer.Add(new EpochReport(1, 1, null, GradientNorms: norms));
        buffer.Dispose();
        return new WeakReference(norms);
    }
}
