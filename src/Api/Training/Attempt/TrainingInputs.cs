using System.Collections.Concurrent;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;

namespace BackpropService.Api.Training;

/// <summary>
/// What the jobs on one network and dataset share, read and parsed once for all of them: the network's graph definition
/// and the dataset's training arrays, by id. Safe to share: no endpoint changes a stored network or dataset (a deleted
/// one's id is never reused), and training writes neither (the engine copies a graph's values into tensors of its own
/// and only reads the dataset's arrays). A sweep's thousand trials parse its network once instead of a thousand times.
/// </summary>
/// <remarks>
/// Bounded: at most <paramref name="maxEntries"/> of each (32), and datasets of <paramref name="maxDatasetBytes"/> in all
/// (64 MiB: many small datasets, or one of ~16 M floats; a larger one is read per job); past either, the cache starts over. A network's <see cref="Network"/> is built afresh per job
/// from the shared definition.
/// </remarks>
public sealed class TrainingInputs(int maxEntries = 32, long maxDatasetBytes = 64L << 20)
{
    private readonly ConcurrentDictionary<string, GraphDefinition> _graphs = new();
    private readonly ConcurrentDictionary<string, TrainingData> _datasets = new();
    private readonly Lock _lock = new();
    private long _datasetBytes;

    public bool TryGetGraph(string networkId, out GraphDefinition graph) => _graphs.TryGetValue(networkId, out graph!);

    public bool TryGetDataset(string datasetId, out TrainingData data) => _datasets.TryGetValue(datasetId, out data!);

    public void AddGraph(string networkId, GraphDefinition graph)
    {
        if (_graphs.Count >= maxEntries) _graphs.Clear();
        _graphs[networkId] = graph;
    }

    public void AddDataset(string datasetId, TrainingData data)
    {
        var bytes = (long)(data.Features.Length + data.Targets.Length) * sizeof(float);
        if (bytes > maxDatasetBytes) return;
        lock (_lock)
        {
            if (_datasets.ContainsKey(datasetId)) return;
            if (_datasets.Count >= maxEntries || _datasetBytes + bytes > maxDatasetBytes)
            {
                _datasets.Clear();
                _datasetBytes = 0;
            }
            _datasets[datasetId] = data;
            _datasetBytes += bytes;
        }
    }
}
