using System.Diagnostics;
using System.Text.Json;
using BackpropService.Api.Datasets;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Jobs;
using BackpropService.Api.Jobs.Admission;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Api.Observability;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Admission;
using BackpropService.Persistence.Bulk;
using BackpropService.Persistence.Dialects;
using BackpropService.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace BackpropService.Api.Warmup;

/// <summary>
/// After the first healthy <c>/health</c> answer, runs the first job's code once on a scratch XOR job that is never
/// stored: the request's JSON, the checks and the queries of <c>POST /api/jobs</c>, the admission's statements
/// (prepared, not run), the claimed job's load, and one epoch of training. Each piece is compiled (the runtime's JIT,
/// EF Core's per-entity and per-query code) here instead of in the first user's request and job (docs/performance.md,
/// "startup (session 9)").
/// </summary>
/// <remarks>
/// NOTE: nothing here writes to the database or goes through the worker, the queue, the hub or the metrics: the only
/// statements run are reads (with ids no row has) and the admission's counts; the INSERT is bound, never run. A
/// failure is logged at Debug and ends the warm-up: it only ever saves time.
/// </remarks>
public sealed class FirstUseWarmup(IServiceProvider services, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<FirstUseWarmup> logger)
    : BackgroundService, IStartupWork
{
    /// <summary>The switch (default on); read when the service starts, so a test host's override applies.</summary>
    public const string EnabledKey = "Startup:WarmUp";

    /// <summary>True once every step has run; false if it is switched off, a step failed or the service stopped first.</summary>
    public Task<bool> Done => _done.Task;

    Task IStartupWork.Done => Done;

    /// <summary>How long after the server listens the warm-up starts when no <c>/health</c> answer came first.</summary>
    public static readonly TimeSpan LatestStart = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Called by the first healthy <c>/health</c> answer: the warm-up starts then, not beside the start-up and the first
    /// <c>/health</c> request, whose CPU it would share (docs/performance.md, "startup (session 9)").
    /// </summary>
    public void ReportedHealthy() => _healthy.TrySetResult();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!configuration.GetValue(EnabledKey, true)) return;
            await StartedAsync(stoppingToken);
            var clock = Stopwatch.StartNew();
            await using (var scope = services.CreateAsyncScope())
            {
                var (request, job) = await AdmitAsync(scope.ServiceProvider, stoppingToken);
                await LoadAsync(scope.ServiceProvider);
                Train(request, job, scope.ServiceProvider.GetRequiredService<IOptions<LimitsOptions>>().Value);
            }
            logger.LogDebug("Warm-up done in {Milliseconds} ms", clock.ElapsedMilliseconds);
            _done.TrySetResult(true);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Warm-up stopped early");
        }
        catch (OperationCanceledException) { }
        finally
        {
            _done.TrySetResult(false);
        }
    }

    /// <summary>
    /// Waits until the server listens (the hosted services, this one included, start before it), then for the first
    /// healthy <c>/health</c> answer, or <see cref="LatestStart"/> when none comes (a client that never asks).
    /// </summary>
    private async Task StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        await Task.WhenAny(_healthy.Task, Task.Delay(LatestStart, stoppingToken));
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>What <c>POST /api/jobs</c> runs for a job on stored parts, up to the admission's INSERT (bound, not run).</summary>
    private static async Task<(CreateJobRequest Inline, TrainingJob Job)> AdmitAsync(IServiceProvider scoped, CancellationToken ct)
    {
        var json = scoped.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        var limits = scoped.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var db = scoped.GetRequiredService<BackpropDbContext>();

        // The stored-parts form first (the queries, with an id no row has), then the inline form, which builds the job.
        var byId = JsonSerializer.Deserialize<CreateJobRequest>(ScratchJob.ByIdJson, json)!;
        await JobFactory.BuildAsync(byId, db, cache: null, limits, new ValidationErrors(), ct);
        var inline = JsonSerializer.Deserialize<CreateJobRequest>(ScratchJob.InlineJson, json)!;
        var errors = new ValidationErrors();
        var job = await JobFactory.BuildAsync(inline, db, cache: null, limits, errors, ct)
            ?? throw new InvalidOperationException("The scratch job did not pass the checks.");
        var admission = AdmissionRows.Of(db, job, bringsRows: false);
        // A stored network is read back from its JSON (the stored-parts form, which found none above).
        NetworkStore.Load(db.Networks.Local.Single());

        var factory = scoped.GetRequiredService<IDbContextFactory<BackpropDbContext>>();
        await using (var store = await AdmissionStore.OpenAsync(factory, scoped.GetRequiredService<IDatabaseDialect>(), ct))
            await store.TotalsAsync(job.CreatedAt, job.CreatedAt, job.Id, ct);
        await using (var writer = await factory.CreateDbContextAsync(ct))
        await using (var insert = InsertCommand<TrainingJob>.Create(writer, rows: 1))
            insert.Bind(0, admission.Job);

        JsonSerializer.Serialize(JobMapper.ToResponse(job, queuePosition: 1), json);
        // The inline network and dataset were added to the request's context only; it is disposed unsaved.
        db.ChangeTracker.Clear();
        return (inline, job);
    }

    /// <summary>The claimed job's load, for an id no row has: the query runs (and is compiled) and finds nothing.</summary>
    private static async Task LoadAsync(IServiceProvider scoped)
    {
        try
        {
            await Training.JobLoader.LoadAsync(scoped.GetRequiredService<IDbContextFactory<BackpropDbContext>>(),
                scoped.GetRequiredService<Training.TrainingInputs>(), ScratchJob.MissingId);
        }
        catch (InvalidOperationException)
        {
            // "Job 'warm-up' is gone.": expected, there is no such job.
        }
    }

    /// <summary>One epoch of the scratch job, through the engine alone (no attempt, lease or history).</summary>
    private static void Train(CreateJobRequest request, TrainingJob job, LimitsOptions limits)
    {
        var network = NetworkFactory.Build(request.Network!, limits, new ValidationErrors()).Network!;
        var data = DatasetStore.ToTrainingData(DatasetStore.ToEntity(JsonDatasetParser.Parse(request.Dataset!, limits, new ValidationErrors())!));
        var session = TrainingSession.Start(network, data, JobMapper.Settings(job));
        session.Run(_ => { }, CancellationToken.None);
        session.SaveCheckpoint();
        session.Parameters();
    }
}
