using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Training;

public class DataSplitTests
{
    [Fact]
    public void HeldOutRowsAreASeededShuffledSubsetNotTheLastRows()
    {
        var split = DataSplit.Create(100, 0.2, new Rng(5));
        Assert.Equal(20, split.ValidationRows.Length);
        Assert.Equal(80, split.TrainingRows.Length);
        Assert.Equal(Enumerable.Range(0, 100), split.TrainingRows.Concat(split.ValidationRows).Order());
        Assert.Equal(split.ValidationRows.Order(), split.ValidationRows);
        Assert.NotEqual(Enumerable.Range(80, 20), split.ValidationRows);
        Assert.Equal(split.ValidationRows, DataSplit.Create(100, 0.2, new Rng(5)).ValidationRows);
    }

    [Fact]
    public void SplitTooSmallForOneRowHoldsNothingOut()
    {
        var split = DataSplit.Create(4, 0.2, new Rng(1));
        Assert.Empty(split.ValidationRows);
        Assert.Equal([0, 1, 2, 3], split.TrainingRows);
    }
}
