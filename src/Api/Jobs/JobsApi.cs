using BackpropService.Api.Infrastructure;
using BackpropService.Api.Jobs.Admission;
using BackpropService.Api.Lifecycle;
using BackpropService.Api.Networks;
using BackpropService.Api.Limits;
using BackpropService.Api.Reliability;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Jobs;

public static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/jobs").WithTags("Jobs");
        group.MapPost("/", CreateJobAsync).WithName("CreateJob").WithSummary("Queue a training job (network and dataset by id or inline)")
            .WithDescription("Optional `initialWeights: { \"fromJob\": \"ID\" }` starts from that job's stored weights (copied now): " +
                             "400 when a parameter's name or shape differs (naming the first), 404 when the source job does not exist or is " +
                             "another owner's, 409 while it has no weights yet.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", ListJobsAsync).WithName("ListJobs").WithSummary("List jobs newest first, optionally by status, tag and text in name or notes, with a cursor");
        group.MapGet("/{id}", GetJobAsync).WithName("GetJob").WithSummary("Get a job's status and progress");
        group.MapGet("/{id}/history", JobResultsApi.GetHistoryAsync).WithName("GetJobHistory").WithSummary("Per-epoch cost history, after an epoch, in order");
        group.MapGet("/{id}/weights", JobResultsApi.GetWeightsAsync).WithName("GetJobWeights").WithSummary("The latest stored weights (checkpoint or final)");
        group.MapPost("/{id}/cancel", CancelJobAsync).WithName("CancelJob").WithSummary("Cancel a queued or running job");
        group.MapPatchJob();
        group.MapDeleteJob();
        group.MapPost("/{id}/predict", JobResultsApi.PredictAsync).WithName("Predict").WithSummary("Run the network forward with the latest weights");
        group.MapPost("/{id}/explain", JobExplainApi.ExplainAsync).WithName("Explain")
            .WithSummary("Attribute an output to each input: gradient, gradient_x_input or integrated_gradients, with the weights /predict uses")
            .WithDescription("Computed in float64 by reverse mode from the output over one batch (integrated gradients: all steps + 1 points of " +
                             "every row's path). 409 while the job has no weights; 422 when the network's output mixes rows.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id}/model.onnx", JobModelApi.GetOnnxAsync).WithName("GetJobOnnx")
            .WithSummary("The trained network as an ONNX model (opset 17) with the weights /predict uses")
            .WithDescription("One input `input` float32 [batch, inputs], one output `output` float32 [batch, outputs] equal to /predict's " +
                             "outputs (output activation applied, no loss); metadata: jobId, epoch, serviceVersion. " +
                             "409 while the job has no weights; 422 when an op on a graph's output path has no ONNX equivalent.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id}/graph", JobGraphApi.GetJobGraphAsync).WithName("GetJobGraph")
            .WithSummary("The job's computational graph; with ?row=N evaluated on a dataset row (values, gradients, edge derivatives); &unroll=true per scalar");
        return group;
    }

    public static async Task<Results<Accepted<JobResponse>, ValidationProblem, ProblemHttpResult>> CreateJobAsync(
        CreateJobRequest request, HttpContext http, BackpropDbContext db, JobAdmissions admissions, JobPartsCache parts, IOptions<LimitsOptions> limits,
        TimeProvider time, CancellationToken ct)
    {
        // A retry of a POST that already made a job (same Idempotency-Key) gets that job, not a second one.
        var idempotency = JobIdempotency.Read(http.Request, request);
        if (idempotency.Problem is { } badKey) return badKey;
        if (await idempotency.FindAsync(db, http.Response, ct) is { } earlier) return earlier;

        for (var attempt = 1; ; attempt++)
        {
            var errors = new ValidationErrors();
            var job = await JobFactory.BuildAsync(request, db, parts, limits.Value, errors, ct);
            if (job is null) return Problems.Validation(errors);
            if (request.InitialWeights is { } initial)
            {
                if (await WarmStart.CaptureAsync(initial, job, db, errors, ct) is { } missing) return missing;
                if (errors.Any) return Problems.Validation(errors);
            }
            idempotency.Stamp(job);

            // Stored by the admission writer with the batch of POSTs that arrived meanwhile: answered once committed.
            var bringsRows = request.Network is not null || request.Dataset is not null || request.InitialWeights is not null;
            var result = await admissions.AdmitAsync(AdmissionRows.Of(db, job, bringsRows));
            switch (result.Verdict)
            {
                case AdmissionVerdict.Admitted:
                    var position = result.Position ?? await QueuePositions.OfAsync(db, job, time.GetUtcNow().UtcDateTime, ct);
                    return TypedResults.Accepted($"/api/jobs/{job.Id}", JobMapper.ToResponse(job, position));
                case AdmissionVerdict.QueueFull:
                    return QueueLimits.TooMany(http.Response, result.Detail!);
                case AdmissionVerdict.DuplicateKey:
                    // A concurrent request with the same key won (perhaps in the same batch): its job is the answer.
                    return await idempotency.FindAsync(db, http.Response, ct)
                        ?? throw new InvalidOperationException("The job holding this Idempotency-Key was gone when read back (deleted meanwhile); nothing was queued.");
                case AdmissionVerdict.MissingParts when attempt == 1:
                    // The network or dataset is gone: perhaps deleted on another replica while cached here. Read them again.
                    parts.Evict(job.NetworkId);
                    parts.Evict(job.DatasetId);
                    db.ChangeTracker.Clear();
                    continue;
                default:
                    // DELETE of the network or dataset won the race between this request reading it and saving the job.
                    return Problems.Conflict("The job's network or dataset was deleted while the job was being created; nothing was queued.");
            }
        }
    }

    public static async Task<Results<Ok<Page<JobResponse>>, ValidationProblem>> ListJobsAsync(
        BackpropDbContext db, IOptions<LimitsOptions> limits, TimeProvider time, string? status, string? tag, string? q, int? limit, string? cursor,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var take = Problems.Limit(limit, 50, limits.Value.MaxListPage, errors);
        JobStatus? wanted = null;
        if (status is not null)
        {
            var match = Enum.GetValues<JobStatus>().Where(v => v.ToString().Equals(status, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 1) wanted = match[0];
            else errors.Add("status", $"must be one of queued, running, succeeded, failed, cancelled; got '{status}'.");
        }
        if (!PageCursor.TryDecode(cursor, out var after)) errors.Add("cursor", "is not a cursor this service returned.");
        SafeText.Check(tag, "tag", limits.Value.MaxTagLength, nameof(LimitsOptions.MaxTagLength), errors);
        SafeText.Check(q, "q", limits.Value.MaxNameLength, nameof(LimitsOptions.MaxNameLength), errors);
        if (errors.Any) return Problems.Validation(errors);

        var query = db.Jobs.AsNoTracking();
        if (wanted is { } s) query = query.Where(j => j.Status == s);
        if (!string.IsNullOrEmpty(tag))
        {
            var marker = JobTags.Marker(tag);
            query = query.Where(j => j.Tags.Contains(marker));
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            // Case-insensitive on both providers: lower() on each side (SQLite's LIKE would be, PostgreSQL's is not).
            var text = q.Trim().ToLowerInvariant();
            query = query.Where(j => (j.Name != null && j.Name.ToLower().Contains(text)) || (j.Notes != null && j.Notes.ToLower().Contains(text)));
        }
        if (after is not null)
            query = query.Where(j => j.CreatedAt < after.CreatedAt || (j.CreatedAt == after.CreatedAt && j.Id.CompareTo(after.Id) < 0));
        var items = await query.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(take + 1).ToListAsync(ct);
        var next = items.Count > take ? new PageCursor(items[take - 1].CreatedAt, items[take - 1].Id).Encode() : null;
        var page = items.Take(take).ToList();
        var positions = await QueuePositions.OfAsync(db, page, time.GetUtcNow().UtcDateTime, ct);
        return TypedResults.Ok(new Page<JobResponse>(page.Select(j => JobMapper.ToResponse(j, positions.TryGetValue(j.Id, out var p) ? p : null)).ToList(), next));
    }

    public static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJobAsync(string id, BackpropDbContext db, TimeProvider time, CancellationToken ct)
    {
        var job = await JobReads.ByIdAsync(db, id, ct);
        if (job is null) return Problems.NotFound("Job", id);
        return TypedResults.Ok(JobMapper.ToResponse(job, await QueuePositions.OfAsync(db, job, time.GetUtcNow().UtcDateTime, ct)));
    }

    // Queued → cancelled at once. Running → flagged in the database (so the worker ends it cancelled even if it
    // is about to succeed) and its token cancelled. Finished → 409. Each step is one conditional update, so a
    // cancel racing the worker ends in exactly one state.
    public static async Task<Results<Accepted<JobResponse>, ProblemHttpResult>> CancelJobAsync(
        string id, BackpropDbContext db, JobCancellations cancellations, IJobStatusPublisher events, CancellationToken ct)
    {
        var now = DateTime.UtcNow;
        var wasQueued = await db.Jobs.Where(j => j.Id == id && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.CancelRequested, true).SetProperty(j => j.FinishedAt, now), ct);
        var wasRunning = 0;
        if (wasQueued == 1)
        {
            await events.PublishStatusAsync(id);
        }
        else
        {
            wasRunning = await db.Jobs.Where(j => j.Id == id && j.Status == JobStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), ct);
            if (wasRunning == 1) cancellations.Cancel(id);
        }

        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);
        if (job is null) return Problems.NotFound("Job", id);
        if (wasQueued == 0 && wasRunning == 0)
            return Problems.Conflict($"Job '{id}' already finished ({job.Status.ToString().ToLowerInvariant()}); there is nothing to cancel.");
        return TypedResults.Accepted($"/api/jobs/{id}", JobMapper.ToResponse(job));
    }
}
