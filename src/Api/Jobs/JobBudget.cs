using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Engine;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Jobs;

/// <summary>
/// The two bounds on what one job may cost, checked before it is queued: its work (epochs × rows × parameters,
/// so no request holds a worker for days) and the numbers its batch buffers hold (batch rows × the activations of
/// one row, values and gradients, so no request exhausts memory when its plan is compiled).
/// </summary>
public static class JobBudget
{
    public static void Check(TrainingSettings settings, Dataset dataset, int trainingRows, long parameterCount, BackpropService.Engine.Network network,
        LimitsOptions limits, ValidationErrors errors)
    {
        var work = (double)settings.Epochs * dataset.Rows * Math.Max(1, parameterCount);
        if (work > limits.MaxJobWork)
            errors.Add("epochs", $"epochs × rows × parameters = {work:G3} exceeds {limits.MaxJobWork:G3} (Limits:MaxJobWork); train fewer epochs or a smaller network.");

        var batchRows = Math.Min(settings.BatchSize ?? trainingRows, trainingRows);
        var validationRows = dataset.Rows - trainingRows;
        var numbers = 2.0 * (batchRows + validationRows) * ActivationsPerRow(network, dataset);
        if (numbers > limits.MaxBatchNumbers)
            errors.Add("batchSize", $"a batch of {batchRows} rows needs {numbers:G3} numbers of activations and gradients, over {limits.MaxBatchNumbers:G3} (Limits:MaxBatchNumbers); use a smaller batchSize or network.");
    }

    /// <summary>Numbers one row occupies across the graph's non-parameter nodes (an upper bound when widths are open).</summary>
    private static double ActivationsPerRow(BackpropService.Engine.Network network, Dataset dataset)
    {
        var parameters = network.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (network.NodeShapes.Count > 0)
            return network.NodeShapes.Where(n => !parameters.Contains(n.Key))
                .Sum(n => n.Value.Length == 0 ? 1.0 : n.Value.Skip(1).Aggregate(1.0, (product, d) => product * Math.Max(1, d)));
        var widest = network.Parameters.SelectMany(p => p.Dimensions).DefaultIfEmpty(1).Max();
        return (double)network.NodeCount * Math.Max(widest, Math.Max(dataset.FeatureCount, dataset.TargetCount));
    }
}
