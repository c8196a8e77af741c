using BackpropService.Persistence;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Training;

/// <summary>
/// One attempt's end as it is stored: the terminal status and its reason, the result weights, early stopping's result,
/// and the last epochs when they are stored with the end (<see cref="LastFlush"/>). Fenced by <paramref name="Claim"/>'s token.
/// </summary>
public sealed record JobEnd(JobClaim Claim, JobStatus Status, string? Error, PendingCheckpoint? Weights, EarlyStopResult? EarlyStop, LastFlush? Last);
