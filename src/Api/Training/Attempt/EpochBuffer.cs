using System.Buffers;
using BackpropService.Engine;

namespace BackpropService.Api.Training;

/// <summary>
/// Hand-off from the training thread (the one producer) to the flush loop (the one consumer). Adding an epoch is a
/// store into a fixed-size segment and a volatile count: no lock, no allocation once the process has trained a job or
/// two, so a job reporting millions of epochs a second neither waits on the flusher nor feeds the garbage collector
/// (whose pauses would stop the trainer and every request with it).
/// </summary>
/// <remarks>
/// NOTE: segments are shared by every job through one process-wide pool (<see cref="SegmentPool"/>), not kept per
/// job: a job short enough to be drained once, at its end (a sweep's 10,000-epoch trial), fills ten segments that no
/// later flush of its own would reuse, and allocating them per job was most of what such a job allocated
/// (docs/performance.md, session 9).
/// </remarks>
public sealed class EpochBuffer : IDisposable
{
    // 1,024 reports, under the 85,000-byte large-object threshold: every job allocates its first segment, and 4,096 made
    // it a large object, so streams of small jobs cost a full collection every few dozen jobs (docs/performance.md).
    // Segments are recycled through the pool below, so their size only sets how often the trainer links a new one.
    public const int SegmentLength = 1024;

    private readonly SegmentPool _pool;
    private Segment _head; // the consumer's: the oldest segment with epochs not yet drained
    private int _headRead;
    private Segment _tail; // the producer's: where the next epoch goes
    private PendingCheckpoint? _checkpoint;
    private int _rewrite;
    private int _lastDrained; // the consumer's: the last epoch a drain took
    // Rented: a fast job drains hundreds of thousands of epochs at a time, and a large array per job would be
    // collected only by full collections.
    private EpochReport[] _drained = ArrayPool<EpochReport>.Shared.Rent(SegmentLength);

    /// <param name="pool">Where its segments come from and go back to; the process's (<see cref="SegmentPool.Shared"/>) by default.</param>
    public EpochBuffer(SegmentPool? pool = null)
    {
        _pool = pool ?? SegmentPool.Shared;
        _head = _tail = _pool.Rent();
    }

    /// <summary>Training thread only.</summary>
    public void Add(EpochReport report)
    {
        var tail = _tail;
        var count = tail.Count;
        if (count == SegmentLength)
        {
            var next = _pool.Rent();
            Volatile.Write(ref tail.Next, next);
            _tail = tail = next;
            count = 0;
        }
        tail.Items[count] = report;
        if (report.GradientNorms is not null) tail.HoldsReferences = true;
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
    /// <param name="max">The most epochs to take.</param>
    /// <param name="through">The last epoch to take: epochs after it stay for a later call.</param>
    public (PendingCheckpoint? Checkpoint, ArraySegment<EpochReport> Points, bool Rewrite) Drain(int max = int.MaxValue, int through = int.MaxValue)
    {
        var checkpoint = Interlocked.Exchange(ref _checkpoint, null);
        // Sized once for what is there now (more may come meanwhile: the next drain takes it), so the array is never
        // grown and copied again while the epochs are copied in.
        max = Math.Min(max, Available());
        // Epochs are added consecutively, so the bound is a count from the first one not yet taken.
        if (max > 0 && through < int.MaxValue) max = Math.Max(0, Math.Min(max, through - NextEpoch() + 1));
        EnsureCapacity(max);
        var taken = 0;
        while (taken < max)
        {
            var head = _head;
            var count = Volatile.Read(ref head.Count);
            if (count > _headRead)
            {
                var length = Math.Min(count - _headRead, max - taken);
                Array.Copy(head.Items, _headRead, _drained, taken, length);
                taken += length;
                _headRead += length;
            }
            // A full segment read to its end with a successor is done with: recycle it. (The producer never writes to it again.)
            var next = Volatile.Read(ref head.Next);
            if (_headRead < SegmentLength || next is null) break;
            _pool.Return(head);
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

    /// <summary>The epoch of the first point not yet drained; call only when <see cref="Available"/> counted one.</summary>
    private int NextEpoch()
    {
        var head = _head;
        return _headRead < SegmentLength ? head.Items[_headRead].Epoch : Volatile.Read(ref head.Next)!.Items[0].Epoch;
    }

    /// <summary>The epochs added and not yet drained (a lower bound while the producer runs).</summary>
    private int Available()
    {
        var available = 0;
        var read = _headRead;
        for (var segment = _head; segment is not null; segment = Volatile.Read(ref segment.Next))
        {
            available += Volatile.Read(ref segment.Count) - read;
            read = 0;
        }
        return available;
    }

    /// <summary>Room for <paramref name="needed"/> points; the drained points' array holds nothing to keep when called.</summary>
    private void EnsureCapacity(int needed)
    {
        if (needed <= _drained.Length) return;
        ArrayPool<EpochReport>.Shared.Return(_drained);
        _drained = ArrayPool<EpochReport>.Shared.Rent(needed);
    }

    /// <summary>
    /// Returns the drained points' array and the segments to their pools: call once the job's flushes are over and
    /// its training thread has stopped (a segment it still wrote to would be another job's by then).
    /// </summary>
    public void Dispose()
    {
        var drained = Interlocked.Exchange(ref _drained, []);
        if (drained.Length == 0) return;
        ArrayPool<EpochReport>.Shared.Return(drained);
        for (Segment? segment = _head, next; segment is not null; segment = next)
        {
            next = segment.Next;
            _pool.Return(segment);
        }
    }

    internal sealed class Segment
    {
        public readonly EpochReport[] Items = new EpochReport[SegmentLength];
        public int Count;
        public Segment? Next;
        public bool HoldsReferences; // the producer's until the segment is returned
    }
}
