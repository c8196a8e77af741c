namespace BackpropService.Engine;

public enum TrainingOutcome
{
    /// <summary>Every requested epoch ran.</summary>
    Completed,

    /// <summary>An epoch's cost reached <see cref="TrainingSettings.TargetCost"/>.</summary>
    TargetReached,

    /// <summary>The cost became NaN or infinite; see <see cref="TrainingSession.Error"/>.</summary>
    Diverged,

    /// <summary>The cancellation token fired; the epoch in progress was not counted.</summary>
    Cancelled,
}
