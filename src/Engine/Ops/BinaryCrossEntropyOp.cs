using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"binary_cross_entropy": a loss averaged over every element, fused with a preceding sigmoid.</summary>
internal sealed class BinaryCrossEntropyOp() : LossOpDefinition("binary_cross_entropy", 240, averagesOverRows: false)
{
    public override string FusedActivation => "sigmoid";

    public override Op<T> CreateFused<T>() => new SigmoidBinaryCrossEntropyOp<T>();

    public override Op<T> Create<T>(NodeDefinition node) => new BinaryCrossEntropyOp<T>();
}

/// <summary>
/// C = −(1/n) Σ [y ln p + (1 − y) ln(1 − p)] over all n elements; dC/dp = (p − y) / (n p (1 − p)),
/// dC/dy = −(ln p − ln(1 − p)) / n. Training fuses it with a preceding sigmoid (<see cref="SigmoidBinaryCrossEntropyOp{T}"/>).
/// </summary>
internal sealed class BinaryCrossEntropyOp<T> : LossOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        var (p, y) = (inputs[0].Data, inputs[1].Data);
        var total = T.Zero;
        for (var i = 0; i < p.Length; i++)
        {
            var pi = Clamp(p[i]);
            total -= y[i] * T.Log(pi) + (T.One - y[i]) * T.Log(T.One - pi);
        }
        output.Data[0] = total / T.CreateChecked(p.Length);
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var (p, y) = (inputs[0].Data, inputs[1].Data);
        var scale = outputGrad.Data[0] / T.CreateChecked(p.Length);
        for (var i = 0; i < p.Length; i++)
        {
            var pi = Clamp(p[i]);
            if (inputGrads[0] is { } gradP) gradP.Data[i] += scale * (pi - y[i]) / (pi * (T.One - pi));
            if (inputGrads[1] is { } gradY) gradY.Data[i] -= scale * (T.Log(pi) - T.Log(T.One - pi));
        }
    }
}
