namespace BackpropService.Engine.Tests.Tensors;

public class ShapeTests
{
    [Fact]
    public void ScalarIsOneByOneOfRankZero()
    {
        Assert.Equal((0, 1, 1, 1), (Shape.Scalar.Rank, Shape.Scalar.Rows, Shape.Scalar.Cols, Shape.Scalar.Length));
        Assert.Empty(Shape.Scalar.ToDimensions());
        Assert.Equal("[]", Shape.Scalar.ToString());
    }

    [Fact]
    public void VectorIsOneRow()
    {
        var v = Shape.Vector(5);
        Assert.Equal((1, 1, 5, 5), (v.Rank, v.Rows, v.Cols, v.Length));
        Assert.Equal("[5]", v.ToString());
        Assert.NotEqual(Shape.Matrix(1, 5), v);
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 3, 4 })]
    [InlineData(new[] { 0, 4 })]
    public void DimensionsRoundTrip(int[] dimensions) => Assert.Equal(dimensions, Shape.FromDimensions(dimensions).ToDimensions());

    [Fact]
    public void ThreeDimensionsAreRejected() =>
        Assert.Equal("Tensors have at most 2 dimensions; got 3.", Assert.Throws<ArgumentException>(() => Shape.FromDimensions([1, 2, 3])).Message);

    [Fact]
    public void NegativeDimensionIsRejected() => Assert.Throws<ArgumentException>(() => Shape.Matrix(2, -1));
}
