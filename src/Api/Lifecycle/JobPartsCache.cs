using System.Collections.Concurrent;
using BackpropService.Persistence.Entities;
using NetworkEntity = BackpropService.Persistence.Entities.Network;

namespace BackpropService.Api.Lifecycle;

/// <summary>
/// Networks (with their engine form) and datasets (without their rows) as admission reads them, by id. Both are
/// immutable once created and can only be deleted, so an entry is right until its row is deleted: DELETE evicts it
/// here, and a job whose insert finds the row gone elsewhere (another replica deleted it) evicts it and resolves
/// again (<c>JobsApi.CreateJobAsync</c>). An entry is served only to its owner, or to everyone when API keys
/// are off, as the owner filter would.
/// </summary>
public sealed class JobPartsCache
{
    /// <summary>Entries kept of each kind; past it the cache starts again empty (a bound on memory, not an LRU).</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, (NetworkEntity Entity, BackpropService.Engine.Network Engine)> _networks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dataset> _datasets = new(StringComparer.Ordinal);

    public (NetworkEntity Entity, BackpropService.Engine.Network Engine)? Network(string id, string? ownerFilter) =>
        _networks.TryGetValue(id, out var network) && Visible(network.Entity.Owner, ownerFilter) ? network : null;

    public Dataset? Dataset(string id, string? ownerFilter) =>
        _datasets.TryGetValue(id, out var dataset) && Visible(dataset.Owner, ownerFilter) ? dataset : null;

    public void Add(NetworkEntity entity, BackpropService.Engine.Network engine)
    {
        if (_networks.Count >= Capacity) _networks.Clear();
        _networks[entity.Id] = (entity, engine);
    }

    public void Add(Dataset dataset)
    {
        if (_datasets.Count >= Capacity) _datasets.Clear();
        _datasets[dataset.Id] = dataset;
    }

    public void Evict(string id)
    {
        _networks.TryRemove(id, out _);
        _datasets.TryRemove(id, out _);
    }

    private static bool Visible(string owner, string? ownerFilter) => ownerFilter is null || owner == ownerFilter;
}
