using System.Runtime.CompilerServices;

namespace BackpropService.Engine.Kernels;

/// <summary>
/// Dedicated worker threads for splitting one large GEMM over cores without allocating: the product is stored in a
/// field, each worker takes one contiguous range of output columns (or rows) aligned to the micro-kernel's tile, and
/// the caller does the first range itself. No range shares an output element, so there is no reduction to order.
/// One product at a time: a caller that finds the pool busy (another job's product) gets false and runs serially.
/// </summary>
internal static unsafe class IntraOpPool
{
    private static readonly object Gate = new();
    private static Worker[] _workers = [];
    private static GemmProblem _problem;
    private static int _parts;
    private static bool _splitColumns;
    private static int _pending;
    private static readonly ManualResetEventSlim Done = new(false, 2000);

    /// <summary>Runs <paramref name="g"/> split <paramref name="degree"/> ways; false (nothing done) when the pool is busy or the shape too narrow.</summary>
    public static bool TryRun(in GemmProblem g, int degree)
    {
        var (mr, nr) = Gemm.TileShape();
        // Split the wider side in whole tiles; a part needs at least two tiles to be worth a thread.
        var splitColumns = g.N >= g.M || g.M < 2 * degree * mr;
        var tiles = splitColumns ? (g.N + nr - 1) / nr : (g.M + mr - 1) / mr;
        var parts = Math.Min(degree, tiles / 2);
        if (parts < 2 || !Monitor.TryEnter(Gate)) return false;
        try
        {
            EnsureWorkers(parts - 1);
            (_problem, _parts, _splitColumns) = (g, parts, splitColumns);
            Volatile.Write(ref _pending, parts - 1);
            Done.Reset();
            for (var w = 0; w < parts - 1; w++) _workers[w].Start.Set();
            RunPart(0);
            if (Volatile.Read(ref _pending) > 0) Done.Wait();
            return true;
        }
        finally
        {
            Monitor.Exit(Gate);
        }
    }

    /// <summary>Part <paramref name="index"/> of the current product: tiles split as evenly as whole tiles allow.</summary>
    private static void RunPart(int index)
    {
        var g = _problem;
        var (mr, nr) = Gemm.TileShape();
        var tile = _splitColumns ? nr : mr;
        var extent = _splitColumns ? g.N : g.M;
        var tiles = (extent + tile - 1) / tile;
        var first = Math.Min(extent, tiles * index / _parts * tile);
        var last = Math.Min(extent, tiles * (index + 1) / _parts * tile);
        if (last <= first) return;
        Gemm.Blocked(_splitColumns ? g.Columns(first, last - first) : g.Rows(first, last - first));
    }

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count) return;
        var workers = new Worker[count];
        Array.Copy(_workers, workers, _workers.Length);
        for (var i = _workers.Length; i < count; i++) workers[i] = new Worker(i + 1);
        _workers = workers;
    }

    private sealed class Worker
    {
        public readonly ManualResetEventSlim Start = new(false, 2000);

        public Worker(int part)
        {
            var thread = new Thread(() => Loop(part)) { IsBackground = true, Name = $"engine-gemm-{part}" };
            thread.Start();
        }

        private void Loop(int part)
        {
            while (true)
            {
                Start.Wait();
                Start.Reset();
                RunPart(part);
                if (Interlocked.Decrement(ref _pending) == 0) Done.Set();
            }
        }
    }
}
