using BackpropService.Api.Jobs;
using BackpropService.Api.Limits;
using BackpropService.Persistence;
using BackpropService.Persistence.Dialects;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Sweeps;

/// <summary>What the sweep endpoints use, bundled for [AsParameters].</summary>
public sealed record SweepServices(
    BackpropDbContext Db,
    IDatabaseDialect Dialect,
    IOptions<LimitsOptions> Limits,
    IOptions<JsonOptions> Json,
    TrainingJobQueue Queue,
    JobCancellations Cancellations,
    ISweepEvents Events,
    TimeProvider Time);
