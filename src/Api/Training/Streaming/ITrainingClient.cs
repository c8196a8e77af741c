using BackpropService.Api.Jobs;
using BackpropService.Api.Sweeps;

namespace BackpropService.Api.Training;

/// <summary>The messages the hub sends: one method per message of the contract.</summary>
/// <remarks>NOTE: the method names are the wire names ("epochs", "status", "trial", "sweep"); .NET clients match them case-sensitively.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "SignalR wire names")]
public interface ITrainingClient
{
    Task epochs(EpochsMessage message);

    Task status(JobResponse job);

    /// <summary>A sweep's trial: its progress while running (at least once a second) and each change of its status.</summary>
    Task trial(TrialMessage message);

    /// <summary>The sweep object, on each change of its counts or status.</summary>
    Task sweep(SweepResponse sweep);
}

public sealed record EpochsMessage(string JobId, IReadOnlyList<HistoryPoint> Points);
