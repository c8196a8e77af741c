namespace BackpropService.Engine.Training;

/// <summary>
/// Everything that changes while training: what a checkpoint stores (values as doubles, exact for float32). BestEpoch 0
/// and no BestParameters without early stopping (or without its restoreBest).
/// </summary>
internal sealed record TrainerState(
    int Epoch,
    ulong[] Rng,
    int[] Order,
    string[] ParameterNames,
    double[][] Parameters,
    long OptimizerSteps,
    double[][] OptimizerState,
    int BestEpoch,
    double BestMetric,
    double[][] BestParameters);
