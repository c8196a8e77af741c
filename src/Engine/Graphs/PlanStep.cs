using System.Numerics;
using BackpropService.Engine.Ops;

namespace BackpropService.Engine.Graphs;

/// <summary>One node's work in a plan: the op and the buffers it reads and writes, all bound at compile time.</summary>
internal sealed record PlanStep<T>(
    int Node,
    Op<T> Op,
    Tensor<T>[] Inputs,
    Tensor<T> Output,
    Tensor<T>? OutputGrad,
    Tensor<T>?[] InputGrads) where T : unmanaged, IFloatingPointIeee754<T>;
