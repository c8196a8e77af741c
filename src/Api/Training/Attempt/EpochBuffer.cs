using System.Buffers;
using System.Collections.Concurrent;
using BackpropService.Engine;

namespace BackpropService.Api.Training;

/// <summary>
/// Hand-off from the training thread (the one producer) to the flush loop (the one consumer). Adding an epoch is a
/// store into a fixed-size segment and a volatile count: no lock, no allocation after the first few segments, so a
/// job reporting millions of epochs a second neither waits on the flusher nor feeds the garbage collector (whose
/// pauses would stop the trainer and every request with it).
/// </summary>
public sealed class EpochBuffer : IDisposable
{
    // 1,024 reports, under the 85,000-byte large-object threshold: every job allocates its first segment, and 4,096 made
    // it a large object, so streams of small jobs cost a full collection every few dozen jobs (docs/performance.md).
    // Segments are recycled through the pool below, so their size only sets how often the trainer links a new one.
    private const int SegmentLength = 1024;

    private readonly ConcurrentQueue<Segment> _free = new();
    private Segment _head; // the consumer's: the oldest segment with epochs not yet drained
    private int _headRead;
    private Segment _tail; // the producer's: where the next epoch goes
    private PendingCheckpoint? _checkpoint;
    private int _rewrite;
    private int _lastDrained; // the consumer's: the last epoch a drain took
    // Rented: a fast job drains hundreds of thousands of epochs at a time, and a large array per job would be
    // collected only by full collections.
    private EpochReport[] _drained = ArrayPool<EpochReport>.Shared.Rent(SegmentLength);

    public EpochBuffer()
    {
        _head = _tail = new Segment();
    }

    /// <summary>Training thread only.</summary>
    public void Add(EpochReport report)
    {
        var tail = _tail;
        var count = tail.Count;
        if (count == SegmentLength)
        {
            var next = _free.TryDequeue(out var recycled) ? recycled : new Segment();
            Volatile.Write(ref tail.Next, next);
            _tail = tail = next;
            count = 0;
        }
        tail.Items[count] = report;
        Volatile.Write(ref tail.Count, count + 1); // publishes the report written above
    }

    /// <summary>
    /// Called on the training thread before adding an epoch that is already stored with a different cost (a resume
    /// that did not replay bit for bit): the next drained points replace the stored history from their first epoch.
    /// </summary>
    public void MarkRewrite() => Volatile.Write(ref _rewrite, 1);

    /// <summary>Called on the training thread right after the epoch it belongs to was added.</summary>
    public void SetCheckpoint(PendingCheckpoint checkpoint) => Volatile.Write(ref _checkpoint, checkpoint);

    /// <summary>
    /// Flush loop only. Takes the pending checkpoint, then the epochs added so far, in order, at most
    /// <paramref name="max"/> of them (the rest wait for the next call). The points are valid until the next call
    /// (their array is reused: a fast job would otherwise allocate megabytes every flush).
    /// NOTE: checkpoint first, then points: the points taken always reach the checkpoint's epoch, so a stored
    /// checkpoint never runs ahead of the stored history. When <paramref name="max"/> stops short of it, the
    /// checkpoint is put back for a later call (unless the trainer has set a newer one meanwhile).
    /// </summary>
    public (PendingCheckpoint? Checkpoint, ArraySegment<EpochReport> Points, bool Rewrite) Drain(int max = int.MaxValue)
    {
        var checkpoint = Interlocked.Exchange(ref _checkpoint, null);
        var taken = 0;
        while (taken < max)
        {
            var head = _head;
            var count = Volatile.Read(ref head.Count);
            if (count > _headRead)
            {
                var length = Math.Min(count - _headRead, max - taken);
                EnsureCapacity(taken + length);
                Array.Copy(head.Items, _headRead, _drained, taken, length);
                taken += length;
                _headRead += length;
            }
            // A full segment read to its end with a successor is done with: recycle it. (The producer never writes to it again.)
            var next = Volatile.Read(ref head.Next);
            if (_headRead < SegmentLength || next is null) break;
            head.Count = 0;
            head.Next = null;
            _free.Enqueue(head);
            _head = next;
            _headRead = 0;
        }
        if (taken > 0) _lastDrained = _drained[taken - 1].Epoch;
        if (checkpoint is not null && checkpoint.Epoch > _lastDrained)
        {
            Interlocked.CompareExchange(ref _checkpoint, checkpoint, null);
            checkpoint = null;
        }
        var rewrite = taken > 0 && Interlocked.Exchange(ref _rewrite, 0) == 1;
        return (checkpoint, new ArraySegment<EpochReport>(_drained, 0, taken), rewrite);
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _drained.Length) return;
        var larger = ArrayPool<EpochReport>.Shared.Rent(Math.Max(needed, _drained.Length * 2));
        Array.Copy(_drained, larger, _drained.Length);
        ArrayPool<EpochReport>.Shared.Return(_drained);
        _drained = larger;
    }

    /// <summary>Returns the drained points' array to the pool: call once the job's flushes are over.</summary>
    public void Dispose()
    {
        var drained = Interlocked.Exchange(ref _drained, []);
        if (drained.Length > 0) ArrayPool<EpochReport>.Shared.Return(drained);
    }

    private sealed class Segment
    {
        public readonly EpochReport[] Items = new EpochReport[SegmentLength];
        public int Count;
        public Segment? Next;
    }
}
