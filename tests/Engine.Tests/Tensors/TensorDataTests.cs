namespace BackpropService.Engine.Tests.Tensors;

public class TensorDataTests
{
    [Fact]
    public void RoundTripsThroughATensorOfEitherPrecision()
    {
        var data = new TensorData([2, 2], [1.5, -2, 0.25, 8]);
        Assert.Equal(data.Values, TensorData.From(data.ToTensor<double>()).Values);
        Assert.Equal(data.Values, TensorData.From(data.ToTensor<float>()).Values);
        Assert.Equal([2, 2], TensorData.From(data.ToTensor<float>()).Dimensions);
    }

    [Fact]
    public void ValuesThatDoNotFillTheShapeAreRejected() =>
        Assert.Equal("Shape [2, 2] needs 4 values; got 3.", Assert.Throws<ArgumentException>(() => new TensorData([2, 2], [1, 2, 3]).ToTensor<double>()).Message);

    [Fact]
    public void ScalarHasNoDimensions() => Assert.Equal(Shape.Scalar, TensorData.Scalar(4).Shape);
}
