namespace BackpropService.Api.ScaleOut;

/// <summary>
/// Whether a job's subscribers can outlive the process that trains it: true with a SignalR backplane, where clients
/// of other replicas stay subscribed while a job moves to another replica.
/// </summary>
public sealed record StreamSharing(bool AcrossReplicas);
