namespace BackpropService.Engine;

public enum TrainingOutcome
{
    /// <summary>Every requested epoch ran.</summary>
    Completed,

    /// <summary>An epoch's cost reached <see cref="TrainingSettings.TargetCost"/>.</summary>
    TargetReached,

    /// <summary>
    /// <see cref="TrainingSettings.EarlyStopping"/>'s metric stopped improving for its patience; see
    /// <see cref="TrainingSession.BestEpoch"/>. A job that stopped early has succeeded.
    /// </summary>
    StoppedEarly,

    /// <summary>The cost became NaN or infinite; see <see cref="TrainingSession.Error"/>.</summary>
    Diverged,

    /// <summary>The cancellation token fired; the epoch in progress was not counted.</summary>
    Cancelled,
}
