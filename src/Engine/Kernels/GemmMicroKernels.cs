using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace BackpropService.Engine.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: an <see cref="MR"/> × <see cref="NR"/> tile of C held in registers while
/// one packed A micro-panel (kc × MR, column by column) and one packed B micro-panel (kc × NR, row by row) stream
/// through it. Summation over p runs in order 0..kc−1 from zero, then the tile is added to (or stored into) C, so the
/// bits of every element depend only on the operands and kc, never on which tile or thread computed it.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    static abstract int MR { get; }
    static abstract int NR { get; }

    /// <summary>Effectively computes C[0..MR, 0..NR] (+)= Σₚ a[p·MR + i] · b[p·ldb + j] for a full tile of C (row stride
    /// ldc); ldb is NR for a packed B micro-panel, or B's own row stride when B is read in place.</summary>
    static abstract void Run(int kc, float* a, float* b, int ldb, float* c, int ldc, bool accumulate);
}

/// <summary>AVX-512: 8 rows × 32 columns = 16 zmm accumulators, two B loads and eight broadcasts per step of p.</summary>
internal readonly unsafe struct GemmKernel512 : IGemmMicroKernel
{
    public static int MR => 8;
    public static int NR => 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default,
            c60 = default, c61 = default, c70 = default, c71 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(x, b0, c40); c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(x, b0, c50); c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Vector512.FusedMultiplyAdd(x, b0, c60); c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Vector512.FusedMultiplyAdd(x, b0, c70); c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            a += 8;
            b += ldb;
        }
        Store(c, c00, c01, accumulate); c += ldc;
        Store(c, c10, c11, accumulate); c += ldc;
        Store(c, c20, c21, accumulate); c += ldc;
        Store(c, c30, c31, accumulate); c += ldc;
        Store(c, c40, c41, accumulate); c += ldc;
        Store(c, c50, c51, accumulate); c += ldc;
        Store(c, c60, c61, accumulate); c += ldc;
        Store(c, c70, c71, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> v0, Vector512<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }
        v0.Store(c);
        v1.Store(c + 16);
    }
}

/// <summary>
/// AVX-512 for narrow products (N ≤ 16, such as a 10-class output layer): 8 rows × 16 columns, one zmm per row. The
/// 32-wide kernel would pad such a product to twice its width or more. Each element is the same sum in the same order
/// as in the wide kernel, so which kernel ran does not change a bit.
/// </summary>
internal readonly unsafe struct GemmKernel512Narrow : IGemmMicroKernel
{
    public static int MR => 8;
    public static int NR => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            a += 8;
            b += ldb;
        }
        Store(c, c0, accumulate); c += ldc;
        Store(c, c1, accumulate); c += ldc;
        Store(c, c2, accumulate); c += ldc;
        Store(c, c3, accumulate); c += ldc;
        Store(c, c4, accumulate); c += ldc;
        Store(c, c5, accumulate); c += ldc;
        Store(c, c6, accumulate); c += ldc;
        Store(c, c7, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> v, bool accumulate)
    {
        if (accumulate) v += Vector512.Load(c);
        v.Store(c);
    }
}

/// <summary>AVX2/FMA: 6 rows × 16 columns = 12 ymm accumulators (the classic Haswell shape).</summary>
internal readonly unsafe struct GemmKernel256 : IGemmMicroKernel
{
    public static int MR => 6;
    public static int NR => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
            c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]); c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Vector256.FusedMultiplyAdd(x, b0, c40); c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Vector256.FusedMultiplyAdd(x, b0, c50); c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            a += 6;
            b += ldb;
        }
        Store(c, c00, c01, accumulate); c += ldc;
        Store(c, c10, c11, accumulate); c += ldc;
        Store(c, c20, c21, accumulate); c += ldc;
        Store(c, c30, c31, accumulate); c += ldc;
        Store(c, c40, c41, accumulate); c += ldc;
        Store(c, c50, c51, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> v0, Vector256<float> v1, bool accumulate)
    {
        if (accumulate)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }
        v0.Store(c);
        v1.Store(c + 8);
    }
}

/// <summary>Plain-loop fallback where no vector width is accelerated: 4 × 4, fused multiply-add per element.</summary>
internal readonly unsafe struct GemmKernelScalar : IGemmMicroKernel
{
    public static int MR => 4;
    public static int NR => 4;

    public static void Run(int kc, float* a, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        var tile = stackalloc float[16];
        for (var i = 0; i < 16; i++) tile[i] = 0;
        for (var p = 0; p < kc; p++, a += 4, b += ldb)
            for (var i = 0; i < 4; i++)
                for (var j = 0; j < 4; j++)
                    tile[i * 4 + j] = MathF.FusedMultiplyAdd(a[i], b[j], tile[i * 4 + j]);
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 4; j++)
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + tile[i * 4 + j] : tile[i * 4 + j];
    }
}
