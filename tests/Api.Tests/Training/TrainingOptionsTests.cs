using BackpropService.Api.Training;

namespace BackpropService.Api.Tests.Training;

public sealed class TrainingOptionsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(0, -1)] // -1: all cores
    [InlineData(-2, -1)]
    public void IntraOpThreadsZeroOrLessMeansAllCores(int configured, int expected)
    {
        var options = new TrainingOptions { IntraOpThreads = configured };
        Assert.Equal(expected == -1 ? Environment.ProcessorCount : expected, options.EffectiveIntraOpThreads);
    }

    [Fact]
    public void JobsRunOnOneCoreEachByDefault()
    {
        Assert.Equal(1, new TrainingOptions().EffectiveIntraOpThreads);
    }
}
