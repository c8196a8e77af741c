using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>
/// Everything the engine knows of one op, stated once, in the op's own file beside its forward and backward: its name,
/// place in the catalogue, kind, arity, shape rule, factory, field checks, scalar expansion and layer role.
/// <see cref="OpRegistry"/> finds every subclass, so a new op is one new file.
/// </summary>
/// <param name="position">Place in the catalogue: the order of the contract's op list and of "Known ops" messages.</param>
/// <param name="outputShape">The output shape from the operands' shapes (ArgumentException naming them on a clash); null for leaves.</param>
internal abstract class OpDefinition(string name, int position, int arity, Func<Shape[], Shape>? outputShape, OpKind kind = OpKind.Compute)
{
    public string Name { get; } = name;
    public int Position { get; } = position;
    public OpKind Kind { get; } = kind;
    public int Arity { get; } = arity;
    public Func<Shape[], Shape>? OutputShape { get; } = outputShape;

    /// <summary>How the layered form uses this op as a layer's activation; null if it cannot be one.</summary>
    public virtual LayerActivation? Activation => null;

    /// <summary>A fresh instance for one node of one plan.</summary>
    public virtual Op<T> Create<T>(NodeDefinition node) where T : unmanaged, IFloatingPointIeee754<T> =>
        throw new ArgumentException($"Node '{node.Id}': op '{node.Op}' does not compute a value.");

    /// <summary>The error in the node's op-specific fields (such as pow's exponent), or null.</summary>
    public virtual string? Check(NodeDefinition node) => null;

    /// <summary>
    /// Adds the node's scalar form to <paramref name="unroller"/> and returns its output elements' ids, row-major.
    /// The default suits elementwise ops: one scalar node of the same op per output element.
    /// </summary>
    public virtual string[] Unroll(GraphUnroller unroller, NodeDefinition node, Shape shape, UnrolledOperand[] operands) =>
        unroller.Elementwise(node, shape, operands);
}
