using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Ops;

/// <summary>"cross_entropy": a categorical loss, averaged over rows; fused with a preceding softmax, which the layered form requires.</summary>
internal sealed class CrossEntropyOp() : LossOpDefinition("cross_entropy", 250, averagesOverRows: true)
{
    public override string FusedActivation => "softmax";

    public override Op<T> CreateFused<T>() => new SoftmaxCrossEntropyOp<T>();

    public override OutputRequirement LayeredOutput { get; } = new("softmax", "is categorical and needs a softmax output layer");

    public override Op<T> Create<T>(NodeDefinition node) => new CrossEntropyOp<T>();
}

/// <summary>
/// Categorical C = −(1/rows) Σ y ln p; dC/dp = −y / (rows · p), dC/dy = −ln p / rows.
/// Training fuses it with a preceding softmax (<see cref="SoftmaxCrossEntropyOp{T}"/>).
/// </summary>
internal sealed class CrossEntropyOp<T> : LossOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(Tensor<T>[] inputs, Tensor<T> output)
    {
        var (p, y) = (inputs[0].Data, inputs[1].Data);
        var total = T.Zero;
        for (var i = 0; i < p.Length; i++) total -= y[i] * T.Log(Clamp(p[i]));
        output.Data[0] = total / T.CreateChecked(inputs[0].Shape.Rows);
    }

    public override void Backward(Tensor<T>[] inputs, Tensor<T> output, Tensor<T> outputGrad, Tensor<T>?[] inputGrads)
    {
        var (p, y) = (inputs[0].Data, inputs[1].Data);
        var scale = outputGrad.Data[0] / T.CreateChecked(inputs[0].Shape.Rows);
        for (var i = 0; i < p.Length; i++)
        {
            var pi = Clamp(p[i]);
            if (inputGrads[0] is { } gradP) gradP.Data[i] -= scale * y[i] / pi;
            if (inputGrads[1] is { } gradY) gradY.Data[i] -= scale * T.Log(pi);
        }
    }
}
