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
        OptimizerState: [[1e-30, -0.0], [7]]);

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
        }
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
