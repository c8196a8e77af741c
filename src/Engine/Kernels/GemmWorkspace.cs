namespace BackpropService.Engine.Kernels;

/// <summary>
/// Each thread's packing buffers: one pinned array, 64-byte aligned, grown on first use to the largest block it has
/// needed, then reused, so a warmed-up training step allocates nothing. It dies with its thread.
/// </summary>
internal static unsafe class GemmWorkspace
{
    [ThreadStatic] private static float[]? _buffer;
    [ThreadStatic] private static nint _aligned;
    [ThreadStatic] private static int _capacity;

    /// <summary>A 64-byte aligned buffer of at least <paramref name="floats"/> floats for the calling thread.</summary>
    public static float* Get(int floats)
    {
        if (_buffer is null || _capacity < floats)
        {
            _buffer = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
            fixed (float* start = _buffer) _aligned = ((nint)start + 63) & ~(nint)63;
            _capacity = floats;
        }
        return (float*)_aligned;
    }
}
