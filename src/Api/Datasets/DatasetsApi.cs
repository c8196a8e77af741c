using BackpropService.Api.Lifecycle;
using System.Text;
using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Api.Networks;
using BackpropService.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Datasets;

public static class DatasetsApi
{
    public static RouteGroupBuilder MapDatasetsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/datasets").WithTags("Datasets");
        group.MapPost("/", CreateDatasetAsync).WithName("CreateDataset")
            .WithSummary("Upload a dataset as JSON, or as CSV (text/csv) with ?target=COLUMN (repeatable) and ?name=")
            .Accepts<CreateDatasetRequest>("application/json", "text/csv");
        group.MapGet("/", ListDatasetsAsync).WithName("ListDatasets").WithSummary("List datasets, newest first");
        group.MapGet("/{id}", GetDatasetAsync).WithName("GetDataset").WithSummary("Get a dataset's summary");
        group.MapDatasetRows();
        group.MapDeleteDataset();
        return group;
    }

    // Reads the body itself because one route takes two media types (JSON and CSV). NOTE: a plain comment, not XML
    // documentation: Swagger would show that as the endpoint's summary in place of WithSummary's.
    public static async Task<Results<Created<DatasetResponse>, ValidationProblem, ProblemHttpResult>> CreateDatasetAsync(
        HttpRequest request, BackpropDbContext db, IOptions<LimitsOptions> limits, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        [FromQuery] string[]? target, [FromQuery] string? name, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        DatasetData? data;
        if (request.HasJsonContentType())
        {
            if (target is { Length: > 0 } || name is not null)
                return Problems.Validation("target", "?target= and ?name= apply to CSV uploads; put name in the JSON body.");
            var body = await ReadJsonAsync(request, json.Value, ct);
            data = JsonDatasetParser.Parse(body, limits.Value, errors);
        }
        else if (IsCsv(request.ContentType))
        {
            SafeText.Check(name, "name", limits.Value.MaxNameLength, nameof(LimitsOptions.MaxNameLength), errors);
            if (errors.Any) return Problems.Validation(errors);
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            data = CsvDatasetParser.Parse(text, target ?? [], name, limits.Value, errors);
        }
        else
        {
            return TypedResults.Problem(statusCode: 415, title: "Unsupported Media Type",
                detail: $"Send the dataset as application/json or text/csv; got '{request.ContentType ?? "no content type"}'.");
        }
        if (data is null) return Problems.Validation(errors);

        var entity = DatasetStore.ToEntity(data);
        db.Datasets.Add(entity);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/datasets/{entity.Id}", DatasetStore.ToResponse(entity));
    }

    private static async Task<CreateDatasetRequest> ReadJsonAsync(HttpRequest request, Microsoft.AspNetCore.Http.Json.JsonOptions json, CancellationToken ct)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<CreateDatasetRequest>(request.Body, json.SerializerOptions, ct)
                   ?? throw new BadHttpRequestException("The request body must be a JSON object, not null.");
        }
        catch (JsonException ex)
        {
            // Same shape as the framework's own binding failure, so the exception handler words it the same way.
            throw new BadHttpRequestException("Failed to read the dataset from the request body as JSON.", ex);
        }
    }

    private static bool IsCsv(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("text/csv", StringComparison.OrdinalIgnoreCase);

    public static async Task<Results<Ok<Page<DatasetResponse>>, ValidationProblem>> ListDatasetsAsync(
        BackpropDbContext db, IOptions<LimitsOptions> limits, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var take = Problems.Limit(limit, 100, limits.Value.MaxListPage, errors);
        if (!PageCursor.TryDecode(cursor, out var after)) errors.Add("cursor", "is not a cursor this service returned.");
        if (errors.Any) return Problems.Validation(errors);

        var query = db.Datasets.AsNoTracking();
        if (after is not null)
            query = query.Where(d => d.CreatedAt < after.CreatedAt || (d.CreatedAt == after.CreatedAt && d.Id.CompareTo(after.Id) < 0));
        // NOTE: project away the blobs; a listing must not read every dataset's numbers.
        var rows = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Take(take + 1)
            .Select(d => new { d.Id, d.Name, d.Rows, d.FeatureCount, d.TargetCount, d.ClassesJson, d.CreatedAt })
            .ToListAsync(ct);
        var items = rows.Select(d => DatasetStore.ToResponse(d.Id, d.Name, d.Rows, d.FeatureCount, d.TargetCount, d.ClassesJson, d.CreatedAt)).ToList();
        var next = items.Count > take ? new PageCursor(items[take - 1].CreatedAt, items[take - 1].Id).Encode() : null;
        return TypedResults.Ok(new Page<DatasetResponse>(items.Take(take).ToList(), next));
    }

    public static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> GetDatasetAsync(string id, BackpropDbContext db, CancellationToken ct)
    {
        var entity = await db.Datasets.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new { d.Id, d.Name, d.Rows, d.FeatureCount, d.TargetCount, d.ClassesJson, d.CreatedAt })
            .FirstOrDefaultAsync(ct);
        if (entity is null) return Problems.NotFound("Dataset", id);
        return TypedResults.Ok(DatasetStore.ToResponse(entity.Id, entity.Name, entity.Rows, entity.FeatureCount, entity.TargetCount, entity.ClassesJson, entity.CreatedAt));
    }
}
