using System.Numerics;

namespace BackpropService.Engine.Training;

/// <summary>
/// Tracks the best epoch of <see cref="EarlyStopping"/>'s metric and, with RestoreBest, a copy of its parameters
/// (buffers allocated once). Epochs since the best are EpochsCompleted − BestEpoch, so the checkpoint needs only the
/// best epoch, metric and parameters.
/// </summary>
internal sealed class EarlyStopper<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _patience;
    private readonly double _minDelta;
    private readonly bool _useValidation;

    public EarlyStopper(EarlyStopping settings, bool hasValidation, Tensor<T>[] parameters)
    {
        (_patience, _minDelta) = (settings.Patience!.Value, settings.MinDelta);
        // validationCost is the default with held-out rows; a split too small to hold out a row falls back to cost.
        _useValidation = settings.Metric != "cost" && hasValidation;
        BestParameters = settings.RestoreBest ? parameters.Select(p => new T[p.Length]).ToArray() : null;
    }

    public int BestEpoch { get; private set; }
    public double BestMetric { get; private set; } = double.PositiveInfinity;
    public T[][]? BestParameters { get; }

    /// <summary>Records an epoch's metric: an improvement by more than minDelta makes it the best (and copies its parameters).</summary>
    public void Observe(int epoch, double cost, double? validationCost, Tensor<T>[] parameters)
    {
        var metric = _useValidation ? validationCost!.Value : cost;
        if (!(metric < BestMetric - _minDelta)) return;
        (BestEpoch, BestMetric) = (epoch, metric);
        if (BestParameters is null) return;
        for (var i = 0; i < parameters.Length; i++) parameters[i].Data.CopyTo(BestParameters[i], 0);
    }

    /// <summary>True once patience epochs have passed without improvement (also right after resuming such a run).</summary>
    public bool Exhausted(int epochsCompleted) => BestEpoch > 0 && epochsCompleted - BestEpoch >= _patience;

    public void Restore(int bestEpoch, double bestMetric) => (BestEpoch, BestMetric) = (bestEpoch, bestMetric);
}
