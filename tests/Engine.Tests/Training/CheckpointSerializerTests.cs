using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Training;

public class CheckpointSerializerTests
{
    private static readonly TrainerState State = new(
        Epoch: 17,
        Rng: [1UL, ulong.MaxValue, 0x0123456789abcdefUL, 42UL],
        Order: [3, 0, 2, 1],
        ParameterNames: ["layers.0.weights", "layers.0.bias"],
        Parameters: [[0.1f, -2.5, double.Epsilon], [0]],
        OptimizerSteps: 123_456_789_012,
        OptimizerState: [[1e-30, -0.0], [7]],
        BestEpoch: 9,
        BestMetric: 0.25,
        BestParameters: [[0.5, -1, 3], [2]]);

    [Fact]
    public void StateRoundTripsExactly()
    {
        var read = CheckpointSerializer.Read(CheckpointSerializer.Write(State));
        Assert.Equal(State.Epoch, read.Epoch);
        Assert.Equal(State.Rng, read.Rng);
        Assert.Equal(State.Order, read.Order);
        Assert.Equal(State.ParameterNames, read.ParameterNames);
        Assert.Equal(State.OptimizerSteps, read.OptimizerSteps);
        for (var i = 0; i < 2; i++)
        {
            TensorAssert.BitwiseEqual(State.Parameters[i], read.Parameters[i], "parameters");
            TensorAssert.BitwiseEqual(State.OptimizerState[i], read.OptimizerState[i], "optimizer state");
            TensorAssert.BitwiseEqual(State.BestParameters[i], read.BestParameters[i], "best parameters");
        }
        Assert.Equal((9, 0.25), (read.BestEpoch, read.BestMetric));
    }

    [Fact]
    public void AVersionOneCheckpointReadsWithNoBestEpoch()
    {
        // Version 1 ended after the optimizer state: no best epoch, metric and parameters (16 bytes when empty).
        var bytes = CheckpointSerializer.Write(State with { BestEpoch = 0, BestParameters = [] })[..^16];
        BitConverter.GetBytes(1).CopyTo(bytes, 4);
        var read = CheckpointSerializer.Read(bytes);
        Assert.Equal(17, read.Epoch);
        Assert.Equal(0, read.BestEpoch);
        Assert.Empty(read.BestParameters);
    }

    [Fact]
    public void TruncatedCheckpointIsRejected()
    {
        var bytes = CheckpointSerializer.Write(State);
        var error = Assert.Throws<ArgumentException>(() => CheckpointSerializer.Read(bytes[..^5]));
        Assert.Equal("The checkpoint is truncated.", error.Message);
    }

    [Fact]
    public void ForeignBytesAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => CheckpointSerializer.Read(new byte[64]));
        Assert.Equal("The checkpoint is not in a format this engine reads.", error.Message);
    }
}
