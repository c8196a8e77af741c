using System.Numerics;
using BackpropService.Engine.Graphs;

namespace BackpropService.Engine.Training;

/// <summary>
/// Which rows a classifier gets right, read off the forward pass the cost already made (no extra pass): for a
/// <c>binary_cross_entropy</c> loss a row is right when every output is on the target's side of 0.5 (an output
/// above 0.5 says 1, a target above 0.5 is 1); for <c>cross_entropy</c> when the row's largest output is at its
/// target's largest (the first of equal ones). Other losses (mse, composites) have no accuracy.
/// </summary>
internal sealed class AccuracyRule
{
    private readonly bool _argmax;

    private AccuracyRule(bool argmax, int prediction, int target) => (_argmax, Prediction, Target) = (argmax, prediction, target);

    /// <summary>The loss node's operands: its prediction and its target.</summary>
    public int Prediction { get; }
    public int Target { get; }

    /// <summary>The rule of the graph's loss, or null when the loss is not a classification loss.</summary>
    public static AccuracyRule? Of(ValidatedGraph graph)
    {
        if (graph.LossIndex is not { } loss) return null;
        var operands = graph.Operands[loss];
        return graph.Nodes[loss].Op switch
        {
            "binary_cross_entropy" => new AccuracyRule(argmax: false, operands[0], operands[1]),
            "cross_entropy" => new AccuracyRule(argmax: true, operands[0], operands[1]),
            _ => null,
        };
    }

    /// <summary>How many rows of the batch are right.</summary>
    public int CountCorrect<T>(Tensor<T> prediction, Tensor<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (rows, cols) = (prediction.Shape.Rows, prediction.Shape.Cols);
        var (p, y) = (prediction.Data, target.Data);
        var half = T.CreateTruncating(0.5);
        var correct = 0;
        for (var r = 0; r < rows; r++)
        {
            var row = r * cols;
            if (_argmax) correct += ArgMax(p, row, cols) == ArgMax(y, row, cols) ? 1 : 0;
            else
            {
                var right = true;
                for (var c = row; c < row + cols && right; c++) right = p[c] > half == y[c] > half;
                correct += right ? 1 : 0;
            }
        }
        return correct;
    }

    private static int ArgMax<T>(T[] values, int start, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var best = start;
        for (var i = start + 1; i < start + count; i++)
            if (values[i] > values[best]) best = i;
        return best - start;
    }
}
