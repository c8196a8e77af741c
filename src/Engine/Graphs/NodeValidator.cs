using BackpropService.Engine.Ops;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Graphs;

/// <summary>Checks one node on its own: a known op, the right number of existing operands, and the fields its op needs.</summary>
internal static class NodeValidator
{
    public static void Check(NodeDefinition node, string at, IReadOnlyDictionary<string, int> indexById)
    {
        if (string.IsNullOrWhiteSpace(node.Op) || !OpRegistry.TryGet(node.Op, out var info))
            throw new GraphValidationException(at,
                $"Node '{node.Id}' has unknown op '{node.Op}'. Known ops: {string.Join(", ", OpRegistry.Names)}.");

        var inputs = node.Inputs ?? [];
        if (inputs.Count != info.Arity)
            throw new GraphValidationException(at,
                $"Node '{node.Id}' ({node.Op}) takes {info.Arity} input{(info.Arity == 1 ? "" : "s")}; got {inputs.Count}.");
        foreach (var input in inputs)
            if (input is null || !indexById.ContainsKey(input))
                throw new GraphValidationException(at, $"Node '{node.Id}' refers to input '{input}', which is not the id of a node.");

        switch (info.Kind)
        {
            case OpKind.Parameter: CheckParameter(node, at); break;
            case OpKind.Constant:
                if (node.Value is null) throw new GraphValidationException(at, $"Constant '{node.Id}' needs a value.");
                CheckValue(node, at);
                break;
            case OpKind.Input or OpKind.Target when node.Shape is not null: CheckDimensions(node, node.Shape, at); break;
        }

        if (info.Check(node) is { } error) throw new GraphValidationException(at, error);
        if (node.Alpha is { } alpha && !double.IsFinite(alpha))
            throw new GraphValidationException(at, $"Node '{node.Id}': 'alpha' must be finite.");
    }

    private static void CheckParameter(NodeDefinition node, string at)
    {
        if (node.Shape is null && node.Value is null)
            throw new GraphValidationException(at, $"Parameter '{node.Id}' needs a 'shape' (with an optional 'init') or a 'value'.");
        if (node.Shape is not null) CheckDimensions(node, node.Shape, at);
        if (node.Value is not null)
        {
            CheckValue(node, at);
            if (node.Shape is not null && !node.Shape.SequenceEqual(node.Value.Dimensions))
                throw new GraphValidationException(at,
                    $"Parameter '{node.Id}': shape [{string.Join(", ", node.Shape)}] disagrees with its value's shape [{string.Join(", ", node.Value.Dimensions)}].");
        }
        if (node.Init is not null && !ParameterInitializer.Names.Contains(node.Init))
            throw new GraphValidationException(at,
                $"Parameter '{node.Id}' has unknown init '{node.Init}'. Use one of: {string.Join(", ", ParameterInitializer.Names)}.");
    }

    private static void CheckDimensions(NodeDefinition node, int[] dimensions, string at)
    {
        if (dimensions.Length > 2 || dimensions.Any(d => d < 1))
            throw new GraphValidationException(at,
                $"Node '{node.Id}': shape [{string.Join(", ", dimensions)}] must have at most 2 dimensions, each at least 1.");
    }

    private static void CheckValue(NodeDefinition node, string at)
    {
        var value = node.Value!;
        CheckDimensions(node, value.Dimensions, at);
        if (value.Values.Length != value.Dimensions.Aggregate(1, (a, d) => a * d))
            throw new GraphValidationException(at, $"Node '{node.Id}': value does not fill its shape.");
        if (value.Values.Any(v => !double.IsFinite(v)))
            throw new GraphValidationException(at, $"Node '{node.Id}': value contains NaN or Infinity.");
    }
}
