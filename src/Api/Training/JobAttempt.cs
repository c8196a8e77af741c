namespace BackpropService.Api.Training;

/// <summary>One claim of a job by this worker: every write it makes is fenced by <paramref name="Token"/>.</summary>
public sealed record JobAttempt(string JobId, string Token, int Attempts);

/// <summary>State saved on the training thread, written by the next flush together with the history up to it.</summary>
public sealed record PendingCheckpoint(int Epoch, byte[] State, byte[] Parameters);
