using BackpropService.Api.Jobs;
using BackpropService.Api.ScaleOut;
using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Training;

/// <summary>The process-wide services every <see cref="JobAttempt"/> works with (one instance, from the container).</summary>
public sealed record AttemptServices(
    IDbContextFactory<BackpropDbContext> Dbs,
    JobLeases Leases,
    AttemptStore Store,
    StorageRetry Retry,
    JobStreamGate Gate,
    EpochStream Stream,
    StreamSharing Sharing,
    JobEvents Events,
    Microsoft.AspNetCore.SignalR.IHubContext<TrainingHub, ITrainingClient> Hub,
    JobCancellations Cancellations,
    TrainingInputs Inputs,
    IOptions<TrainingOptions> Options,
    TimeProvider Time,
    ILogger<JobAttempt> Logger);
