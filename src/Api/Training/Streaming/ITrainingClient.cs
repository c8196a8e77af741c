using BackpropService.Api.Jobs;

namespace BackpropService.Api.Training;

/// <summary>The messages the hub sends: one method per message of the contract.</summary>
/// <remarks>NOTE: the method names are the wire names ("epochs", "status"); .NET clients match them case-sensitively.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "SignalR wire names")]
public interface ITrainingClient
{
    Task epochs(EpochsMessage message);

    Task status(JobResponse job);
}

public sealed record EpochsMessage(string JobId, IReadOnlyList<HistoryPoint> Points);
