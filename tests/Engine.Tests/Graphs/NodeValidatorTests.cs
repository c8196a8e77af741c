using BackpropService.Engine.Graphs;
using static BackpropService.Engine.Tests.Graphs.ValidationAssert;

namespace BackpropService.Engine.Tests.Graphs;

public class NodeValidatorTests
{
    private static readonly NodeDefinition X = Nodes.Input("x", 2);

    [Fact]
    public void UnknownOpIsNamedWithTheKnownOnes() => GraphFails("graph.nodes[1]",
        "Node 'h' has unknown op 'frobnicate'. Known ops: input, target, parameter, constant, add, sub, mul, div, neg, matmul, " +
        "square, pow, exp, log, sin, cos, tanh, sigmoid, relu, leaky_relu, softmax, sum, mean, binary_cross_entropy, cross_entropy, mse.",
        X, Nodes.Op("h", "frobnicate", "x"));

    [Fact]
    public void BinaryOpWithOneInputIsWrongArity() =>
        GraphFails("graph.nodes[1]", "Node 'h' (add) takes 2 inputs; got 1.", X, Nodes.Op("h", "add", "x"));

    [Fact]
    public void UnaryOpWithTwoInputsIsWrongArity() =>
        GraphFails("graph.nodes[1]", "Node 'h' (sin) takes 1 input; got 2.", X, Nodes.Op("h", "sin", "x", "x"));

    [Fact]
    public void LeafWithAnInputIsWrongArity() =>
        GraphFails("graph.nodes[1]", "Node 'c' (constant) takes 0 inputs; got 1.", X, Nodes.Constant("c", 1) with { Inputs = ["x"] });

    [Fact]
    public void InputThatIsNoNodeIsDangling() =>
        GraphFails("graph.nodes[1]", "Node 'h' refers to input 'ghost', which is not the id of a node.", X, Nodes.Op("h", "mul", "x", "ghost"));

    [Fact]
    public void ParameterWithoutShapeOrValueIsRejected() =>
        GraphFails("graph.nodes[1]", "Parameter 'w' needs a 'shape' (with an optional 'init') or a 'value'.",
            X, new NodeDefinition { Id = "w", Op = "parameter" });

    [Fact]
    public void ParameterWithAnUnknownInitIsRejected() =>
        GraphFails("graph.nodes[1]", "Parameter 'w' has unknown init 'gaussian'. Use one of: xavier, he, uniform, zeros.",
            X, new NodeDefinition { Id = "w", Op = "parameter", Shape = [2, 2], Init = "gaussian" });

    [Fact]
    public void ParameterWhoseShapeDisagreesWithItsValueIsRejected() =>
        GraphFails("graph.nodes[1]", "Parameter 'w': shape [2, 2] disagrees with its value's shape [4].",
            X, new NodeDefinition { Id = "w", Op = "parameter", Shape = [2, 2], Value = Nodes.Vector(1, 2, 3, 4) });

    [Fact]
    public void ValueThatDoesNotFillItsShapeIsRejected() =>
        GraphFails("graph.nodes[1]", "Node 'w': value does not fill its shape.", X, Nodes.Parameter("w", new([2, 2], [1, 2, 3])));

    [Fact]
    public void ValueWithNaNIsRejected() =>
        GraphFails("graph.nodes[1]", "Node 'c': value contains NaN or Infinity.", X, Nodes.Constant("c", double.NaN));

    [Fact]
    public void ConstantWithoutValueIsRejected() =>
        GraphFails("graph.nodes[1]", "Constant 'c' needs a value.", X, new NodeDefinition { Id = "c", Op = "constant" });

    [Theory]
    [InlineData(new[] { 2, 0 })]
    [InlineData(new[] { 1, 2, 3 })]
    public void ShapeWithAZeroOrAThirdDimensionIsRejected(int[] shape) =>
        GraphFails("graph.nodes[0]", $"Node 'w': shape [{string.Join(", ", shape)}] must have at most 2 dimensions, each at least 1.",
            new NodeDefinition { Id = "w", Op = "parameter", Shape = shape });

    [Fact]
    public void PowWithoutAnExponentIsRejected() =>
        GraphFails("graph.nodes[1]", "Node 'p' (pow) needs a finite 'exponent'.", X, Nodes.Op("p", "pow", "x"));

    [Fact]
    public void InfiniteAlphaIsRejected() =>
        GraphFails("graph.nodes[1]", "Node 'r': 'alpha' must be finite.", X, Nodes.Op("r", "leaky_relu", "x") with { Alpha = double.PositiveInfinity });
}
