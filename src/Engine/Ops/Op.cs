using System.Numerics;

namespace BackpropService.Engine.Ops;

/// <summary>
/// One operation of a compiled plan. An instance belongs to one node of one plan, so it may keep scratch buffers.
/// </summary>
internal abstract class Op<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Called once at compile time with the node's shapes; allocate scratch buffers here, never per step.</summary>
    public virtual void Prepare(Shape[] inputShapes, Shape outputShape) { }

    /// <summary>Writes the node's value from its operands' values.</summary>
    public abstract void Forward(Tensor<T>[] inputs, Tensor<T> output);

    /// <summary>
    /// Adds (+=) d loss / d input into each <paramref name="inputGrads"/> entry that is not null, given
    /// d loss / d output. Adding, not assigning, is what lets a node used twice collect both contributions.
    /// </summary>
    public abstract void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads);
}
