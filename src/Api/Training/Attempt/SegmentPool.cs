using System.Collections.Concurrent;

namespace BackpropService.Api.Training;

/// <summary>
/// Spare <see cref="EpochBuffer"/> segments, shared by every job of the process (<see cref="Shared"/>): a segment a
/// job has drained (or its buffer held at its end) is reused by the next one instead of being allocated again. At
/// most <see cref="Capacity"/> are kept (64: about 4.7 MB); beyond that a returned segment is left to the collector.
/// </summary>
public sealed class SegmentPool(int capacity = 64)
{
    /// <summary>The process's pool, which every job's buffer uses.</summary>
    public static readonly SegmentPool Shared = new();

    private readonly ConcurrentQueue<EpochBuffer.Segment> _spare = new();
    private int _count;

    /// <summary>The most segments kept: two slots' 10,000-epoch jobs need 20, a fast job's backlog between flushes a few dozen.</summary>
    public int Capacity => capacity;

    /// <summary>Spare segments now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>An empty segment: a spare one, or a new one when there is none.</summary>
    internal EpochBuffer.Segment Rent()
    {
        if (!_spare.TryDequeue(out var segment)) return new EpochBuffer.Segment();
        Interlocked.Decrement(ref _count);
        return segment;
    }

    /// <summary>Takes back a segment nobody writes to or reads from any more.</summary>
    internal void Return(EpochBuffer.Segment segment)
    {
        segment.Count = 0;
        segment.Next = null;
        // Reports with gradient norms hold references: drop them rather than keep the last job's norms alive.
        if (segment.HoldsReferences) Array.Clear(segment.Items);
        segment.HoldsReferences = false;
        if (Interlocked.Increment(ref _count) > capacity)
        {
            Interlocked.Decrement(ref _count);
            return;
        }
        _spare.Enqueue(segment);
    }
}
