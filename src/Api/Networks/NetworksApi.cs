using BackpropService.Api.Infrastructure;
using BackpropService.Api.Lifecycle;
using BackpropService.Api.Limits;
using BackpropService.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Networks;

public static class NetworksApi
{
    public static RouteGroupBuilder MapNetworksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/networks").WithTags("Networks");
        group.MapPost("/", CreateNetworkAsync).WithName("CreateNetwork")
            .WithSummary("Create a network from layers or from an explicit computational graph");
        group.MapGet("/", ListNetworksAsync).WithName("ListNetworks").WithSummary("List networks, newest first");
        group.MapGet("/{id}", GetNetworkAsync).WithName("GetNetwork").WithSummary("Get a network with its graph");
        group.MapDeleteNetwork();
        return group;
    }

    public static async Task<Results<Created<NetworkResponse>, ValidationProblem>> CreateNetworkAsync(
        CreateNetworkRequest request, BackpropDbContext db, IOptions<LimitsOptions> limits, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var (network, kind) = NetworkFactory.Build(request, limits.Value, errors);
        if (network is null) return Problems.Validation(errors);

        var entity = NetworkStore.ToEntity(network, kind, request.Name);
        db.Networks.Add(entity);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/networks/{entity.Id}", NetworkStore.ToResponse(entity, network));
    }

    public static async Task<Results<Ok<Page<NetworkResponse>>, ValidationProblem>> ListNetworksAsync(
        BackpropDbContext db, IOptions<LimitsOptions> limits, int? limit, string? cursor, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var take = Problems.Limit(limit, 100, limits.Value.MaxListPage, errors);
        if (!PageCursor.TryDecode(cursor, out var after)) errors.Add("cursor", "is not a cursor this service returned.");
        if (errors.Any) return Problems.Validation(errors);

        var query = db.Networks.AsNoTracking();
        if (after is not null)
            query = query.Where(n => n.CreatedAt < after.CreatedAt || (n.CreatedAt == after.CreatedAt && n.Id.CompareTo(after.Id) < 0));
        var items = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(take + 1).ToListAsync(ct);
        var next = items.Count > take ? new PageCursor(items[take - 1].CreatedAt, items[take - 1].Id).Encode() : null;
        return TypedResults.Ok(new Page<NetworkResponse>(items.Take(take).Select(n => NetworkStore.ToResponse(n, null)).ToList(), next));
    }

    public static async Task<Results<Ok<NetworkResponse>, ProblemHttpResult>> GetNetworkAsync(string id, BackpropDbContext db, CancellationToken ct)
    {
        var entity = await NetworkStore.FindAsync(db, id, ct);
        return entity is null
            ? Problems.NotFound("Network", id)
            : TypedResults.Ok(NetworkStore.ToResponse(entity, NetworkStore.Load(entity)));
    }
}
