using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>
/// Every op, found once: each <see cref="OpDefinition"/> subclass in the engine (one per op file) is one op. The JSON
/// validation, shape inference, plans, the unroller, the layered form and <see cref="OpCatalog"/> all read this.
/// </summary>
internal static class OpRegistry
{
    /// <summary>In catalogue order (<see cref="OpDefinition.Position"/>).</summary>
    public static IReadOnlyList<OpDefinition> All { get; } = Discover();

    private static readonly Dictionary<string, OpDefinition> ByName = All.ToDictionary(op => op.Name, StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = All.Select(op => op.Name).ToArray();

    public static IReadOnlyList<string> Losses { get; } = All.Where(op => op.Kind == OpKind.Loss).Select(op => op.Name).ToArray();

    /// <summary>The ops a layer may name as its activation, in <see cref="LayerActivation.Position"/> order.</summary>
    public static IReadOnlyList<string> Activations { get; } =
        All.Where(op => op.Activation is not null).OrderBy(op => op.Activation!.Position).Select(op => op.Name).ToArray();

    public static bool TryGet(string name, out OpDefinition op) => ByName.TryGetValue(name, out op!);

    public static OpDefinition Get(string name) => ByName[name];

    /// <summary>A fresh instance of a computing op for one node of one plan.</summary>
    public static Op<T> Create<T>(NodeDefinition node) where T : unmanaged, IFloatingPointIeee754<T> => Get(node.Op).Create<T>(node);

    private static OpDefinition[] Discover()
    {
        var ops = typeof(OpDefinition).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(OpDefinition)) && !type.IsAbstract)
            .Select(type => (OpDefinition)Activator.CreateInstance(type)!)
            .OrderBy(op => op.Position)
            .ToArray();
        // Two files claiming one name or one place would make lookups or messages depend on type load order.
        var clash = ops.GroupBy(op => op.Name).Concat(ops.GroupBy(op => op.Position.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .FirstOrDefault(group => group.Count() > 1);
        if (clash is not null)
            throw new InvalidOperationException($"Ops {string.Join(", ", clash.Select(op => op.GetType().Name))} share '{clash.Key}'.");
        return ops;
    }
}
