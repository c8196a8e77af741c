namespace BackpropService.Api.Training;

/// <summary>State saved on the training thread, written by the next flush together with the history up to it.</summary>
public sealed record PendingCheckpoint(int Epoch, byte[] State, byte[] Parameters);
