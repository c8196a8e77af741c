using BackpropService.Engine.Graphs;
using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Tests.Ops;

/// <summary>
/// Each op is described once (<see cref="OpDefinition"/>, in its own file); these tests prove that every list and
/// expansion the engine offers is derived from those descriptions, so an op added as one file is listed, builds,
/// and unrolls, and an op whose description is incomplete fails here.
/// </summary>
public class OpDefinitionTests
{
    public static TheoryData<string> ComputingOps =>
        new(OpRegistry.All.Where(op => op.Kind is OpKind.Compute or OpKind.Loss).Select(op => op.Name));

    [Fact]
    public void TheCatalogueListsAreTheOnesTheDescriptionsGive()
    {
        Assert.Equal(OpRegistry.All.Select(op => op.Name), OpCatalog.Names);
        Assert.Equal(OpRegistry.All.Where(op => op.Kind == OpKind.Loss).Select(op => op.Name), OpCatalog.Losses);
        Assert.Equal(
            OpRegistry.All.Where(op => op.Activation is not null).OrderBy(op => op.Activation!.Position).Select(op => op.Name)
                .Append(LayeredNetworkCompiler.Identity),
            OpCatalog.Activations);
    }

    [Fact]
    public void TheContractsActivationsAndLossesAreListedInItsOrder()
    {
        Assert.Equal(["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "identity"], OpCatalog.Activations);
        Assert.Equal(["binary_cross_entropy", "cross_entropy", "mse"], OpCatalog.Losses);
    }

    [Fact]
    public void NamesCataloguePlacesAndActivationPlacesAreUnique()
    {
        Assert.Equal(OpRegistry.All.Count, OpRegistry.All.Select(op => op.Name).Distinct().Count());
        Assert.Equal(OpRegistry.All.Count, OpRegistry.All.Select(op => op.Position).Distinct().Count());
        var activations = OpRegistry.All.Where(op => op.Activation is not null).Select(op => op.Activation!.Position).ToArray();
        Assert.Equal(activations.Length, activations.Distinct().Count());
    }

    [Fact]
    public void EveryOpDescriptionInTheEngineIsRegistered()
    {
        var described = typeof(OpDefinition).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(OpDefinition)) && !type.IsAbstract).Select(type => type.Name).Order();
        Assert.Equal(described, OpRegistry.All.Select(op => op.GetType().Name).Order());
    }

    [Fact]
    public void OnlyComputingOpsHaveAShapeRuleAndOnlyLeavesTakeNoOperands() => Assert.All(OpRegistry.All, op =>
    {
        var computes = op.Kind is OpKind.Compute or OpKind.Loss;
        Assert.Equal(computes, op.OutputShape is not null);
        Assert.Equal(computes, op.Arity > 0);
    });

    [Theory]
    [MemberData(nameof(LayerActivations))]
    public void EveryListedActivationBuildsALayeredNetwork(string activation)
    {
        var loss = OpCatalog.Losses.First(name =>
            ((LossOpDefinition)OpRegistry.Get(name)).LayeredOutput is not { } required || required.Activation == activation);
        var network = Network.FromLayers(new(2, [new(3, activation)], loss));
        Assert.True(network.CanTrain);
    }

    public static TheoryData<string> LayerActivations => new(OpCatalog.Activations);

    [Theory]
    [MemberData(nameof(Losses))]
    public void EveryListedLossBuildsALayeredNetworkAndFusesWithTheActivationItNames(string loss)
    {
        var definition = (LossOpDefinition)OpRegistry.Get(loss);
        var output = definition.LayeredOutput?.Activation ?? definition.FusedActivation ?? "sigmoid";
        var network = Network.FromLayers(new(2, [new(3, "tanh"), new(2, output)], loss));
        Assert.Equal(definition.FusedActivation is not null, LossFusion.Find(network.Validated) is not null);
    }

    public static TheoryData<string> Losses => new(OpCatalog.Losses);

    [Theory]
    [MemberData(nameof(ComputingOps))]
    public void EveryComputingOpUnrollsToItsTensorValueAndGradients(string op)
    {
        // Operands in (0.2, 0.8) are inside every op's domain (log, div, pow, the cross-entropies); the first operand
        // shapes the op's own shape rule accepts, so a new op needs nothing here.
        var random = new Random(op.Length);
        var definition = OpRegistry.Get(op);
        var shapes = definition.Arity == 1 ? [[[2, 3]]] : new[] { new[] { new[] { 2, 3 }, [2, 3] }, [[2, 3], [3, 2]] };
        var operands = shapes.First(candidate => Accepts(definition, candidate));
        var output = definition.OutputShape!(operands.Select(Shape.FromDimensions).ToArray());
        string[] ids = ["a", "b"];
        var network = Network.FromGraph(new GraphDefinition(
        [
            .. operands.Select((dimensions, k) => Nodes.Parameter(ids[k], Nodes.Random(random, dimensions, 0.2, 0.8))),
            new() { Id = "y", Op = op, Inputs = ids[..operands.Length], Exponent = 2.5 },
            Nodes.Constant("w", Nodes.Random(random, output.ToDimensions(), 0.5, 2.0, signed: true)),
            Nodes.Op("weighted", "mul", "y", "w"),
            Nodes.Op("root", "sum", "weighted"),
        ], "root"));
        var parameters = ParameterSet<double>.Initialize(network.Validated, new Rng(0)).ToNamedTensors();
        var leaves = new Dictionary<string, TensorData>();

        var tensors = GraphEvaluator.Evaluate(network, leaves, parameters, "root");
        var unrolled = GraphUnroller.Unroll(network, leaves, parameters, maxNodes: 10_000);
        var scalars = GraphEvaluator.Evaluate(Network.FromGraph(unrolled.Graph), unrolled.LeafValues, null, "root");

        Assert.Equal(tensors.Value.Values[0], scalars.Value.Values[0], 1e-12);
        foreach (var id in ids[..operands.Length])
        {
            var expected = tensors.Gradients[id];
            for (var k = 0; k < expected.Values.Length; k++)
                Assert.Equal(expected.Values[k], scalars.Gradients[GraphUnroller.ElementId(id, expected.Shape, k)].Values[0], 1e-12);
        }
    }

    private static bool Accepts(OpDefinition op, int[][] operands)
    {
        try
        {
            op.OutputShape!(operands.Select(Shape.FromDimensions).ToArray());
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
