namespace BackpropService.Engine.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void StorageIsRowMajor()
    {
        var t = new Tensor<double>(Shape.Matrix(2, 3), [1, 2, 3, 4, 5, 6]);
        Assert.Equal(6, t[1, 2]);
        Assert.Equal([4.0, 5, 6], t.Row(1).ToArray());
        t[0, 1] = 9;
        Assert.Equal(9, t.Data[1]);
        t.Clear();
        Assert.All(t.Data, v => Assert.Equal(0, v));
    }

    [Fact]
    public void DataOfTheWrongLengthIsRejected() =>
        Assert.Equal("Shape [2, 3] needs 6 values; got 5.",
            Assert.Throws<ArgumentException>(() => new Tensor<float>(Shape.Matrix(2, 3), new float[5])).Message);
}
