using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace BackpropService.Engine.Kernels;

/// <summary>
/// Single-precision GEMM: effectively computes C (+)= op(A) · op(B) with op(A) [m, k], op(B) [k, n], C [m, n] row-major,
/// where op(X) is X or Xᵀ, so both backward products (dA = dY·Bᵀ, dB = Aᵀ·dY) read the stored matrices directly.
/// Large products are blocked (KC × NC panels of B, MC × KC blocks of A), packed into micro-panels and run through a
/// register-blocked micro-kernel (<see cref="GemmKernel512"/>, <see cref="GemmKernel256"/>, <see cref="GemmKernelScalar"/>);
/// tiny ones (a few thousand multiply-adds) skip packing. Which path runs depends on the shape alone.
/// Large products split their output tiles over <see cref="EngineThreading"/>'s cores; an element is always summed by
/// one thread in the same order, so the bits do not depend on the thread count.
/// </summary>
internal static unsafe class Gemm
{
    /// <summary>Products with fewer multiply-adds than this skip packing (its cost is not repaid).</summary>
    internal const long DirectLimit = 16 * 1024;

    /// <summary>Products with at least this many multiply-adds may split over cores.</summary>
    internal const long ParallelLimit = 1L << 21;

    /// <summary>
    /// Block sizes (tuned on the 2-core AVX-512 host, docs/performance.md): a KC × NR micro-panel of B streams from L2
    /// while an MC × KC block of A stays in L2; a KC × NC panel of B (2 MB) sits in L3. Multiples of every MR and NR.
    /// </summary>
    internal const int KC = 512, MC = 96, NC = 1024;

    /// <summary>B rows of at most this many floats (1 KB) are read in place rather than packed.</summary>
    internal const int InPlaceMaxStride = 256;

    /// <summary>Effectively computes c (+)= op(a) · op(b); a is [m, k] (or [k, m] when transposeA), b is [k, n] (or [n, k]).</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate) =>
        Multiply(transposeA, transposeB, m, n, k, a, b, c, accumulate, EngineThreading.EffectiveDegree);

    /// <summary>As above with an explicit degree of parallelism (1 = this thread only); the result is the same bits.</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, int degree)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "GEMM dimensions must not be negative.");
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException($"GEMM buffers too small for [{m}, {k}] · [{k}, {n}].");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(pa, pb, pc, m, n, k, transposeA ? m : k, transposeB ? k : n, n,
                transposeA, transposeB, accumulate);
            if ((long)m * n * k < DirectLimit) Direct(problem);
            else if (degree > 1 && (long)m * n * k >= ParallelLimit && IntraOpPool.TryRun(problem, degree)) { }
            else Blocked(problem);
        }
    }

    /// <summary>The packed, blocked product with the widest accelerated micro-kernel.</summary>
    internal static void Blocked(in GemmProblem g)
    {
        if (Vector512.IsHardwareAccelerated && g.N <= GemmKernel512Narrow.NR) Blocked<GemmKernel512Narrow>(g);
        else if (Vector512.IsHardwareAccelerated) Blocked<GemmKernel512>(g);
        else if (Vector256.IsHardwareAccelerated) Blocked<GemmKernel256>(g);
        else Blocked<GemmKernelScalar>(g);
    }

    /// <summary>Tile width a parallel split must respect: the micro-kernel's NR (or MR when splitting rows).</summary>
    internal static (int MR, int NR) TileShape() =>
        Vector512.IsHardwareAccelerated ? (GemmKernel512.MR, GemmKernel512.NR)
        : Vector256.IsHardwareAccelerated ? (GemmKernel256.MR, GemmKernel256.NR)
        : (GemmKernelScalar.MR, GemmKernelScalar.NR);

    private static void Blocked<TKernel>(in GemmProblem g) where TKernel : IGemmMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        var ncMax = Math.Min(NC, RoundUp(g.N, nr));
        var kcMax = Math.Min(KC, g.K);
        var mcMax = Math.Min(MC, RoundUp(g.M, mr));
        var workspace = GemmWorkspace.Get(mcMax * kcMax + kcMax * ncMax + mr * nr);
        var packA = workspace;
        var packB = workspace + mcMax * kcMax;
        var tile = packB + kcMax * ncMax;

        for (var jc = 0; jc < g.N; jc += NC)
        {
            var nc = Math.Min(NC, g.N - jc);
            // B read in place (no packing) when its rows are short enough for the strided micro-panel to stay cheap
            // and every tile is full: the same arithmetic in the same order, without copying B every call.
            var inPlace = !g.TransposeB && nc % nr == 0 && g.Ldb <= InPlaceMaxStride;
            for (var pc = 0; pc < g.K; pc += KC)
            {
                var kc = Math.Min(KC, g.K - pc);
                if (!inPlace) GemmPacking.PackB(g, pc, kc, jc, nc, nr, packB);
                var accumulate = g.Accumulate || pc > 0;
                for (var ic = 0; ic < g.M; ic += MC)
                {
                    var mc = Math.Min(MC, g.M - ic);
                    GemmPacking.PackA(g, ic, mc, pc, kc, mr, packA);
                    for (var jr = 0; jr < nc; jr += nr)
                    {
                        var nrValid = Math.Min(nr, nc - jr);
                        var bp = inPlace ? g.B + (long)pc * g.Ldb + jc + jr : packB + jr * kc;
                        var ldb = inPlace ? g.Ldb : nr;
                        for (var ir = 0; ir < mc; ir += mr)
                        {
                            var mrValid = Math.Min(mr, mc - ir);
                            var ap = packA + ir * kc;
                            var cp = g.C + (long)(ic + ir) * g.Ldc + jc + jr;
                            if (mrValid == mr && nrValid == nr)
                            {
                                TKernel.Run(kc, ap, bp, ldb, cp, g.Ldc, accumulate);
                                continue;
                            }
                            TKernel.Run(kc, ap, bp, ldb, tile, nr, false);
                            for (var i = 0; i < mrValid; i++)
                            {
                                var row = cp + (long)i * g.Ldc;
                                var source = tile + i * nr;
                                if (accumulate) for (var j = 0; j < nrValid; j++) row[j] += source[j];
                                else for (var j = 0; j < nrValid; j++) row[j] = source[j];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Unpacked product for tiny shapes (the xor and small networks). op(B) = Bᵀ is first copied into the thread's
    /// workspace as [k, n]; then each row of C is held in registers (up to four 16-float vectors at a time) while p
    /// runs 0..k−1, so nothing goes through memory between the fused multiply-adds. Every element is
    /// C + Σₚ in order with one rounding per step, whichever width handles its column.
    /// </summary>
    internal static void Direct(in GemmProblem g)
    {
        // Locals, not fields of g: stores through C could alias g, which would make the JIT reload every field.
        float* a = g.A, b = g.B, c = g.C;
        int m = g.M, n = g.N, k = g.K, ldb = g.Ldb, ldc = g.Ldc;
        var accumulate = g.Accumulate;
        // op(A)(i, p) = a[i·rowStep + p·pStep].
        var (rowStep, pStep) = g.TransposeA ? (1L, (long)g.Lda) : ((long)g.Lda, 1L);
        if (g.TransposeB)
        {
            var transposed = GemmWorkspace.Get(k * n);
            for (var j = 0; j < n; j++)
                for (var p = 0; p < k; p++) transposed[p * n + j] = b[(long)j * ldb + p];
            b = transposed;
            ldb = n;
        }
        for (var i = 0; i < m; i++)
        {
            var aRow = a + i * rowStep;
            var cRow = c + (long)i * ldc;
            var j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j + 64 <= n; j += 64) Columns512x4(aRow, pStep, b + j, ldb, cRow + j, k, accumulate);
                for (; j + 16 <= n; j += 16) Columns512(aRow, pStep, b + j, ldb, cRow + j, k, accumulate);
            }
            if (Vector256.IsHardwareAccelerated)
                for (; j + 8 <= n; j += 8) Columns256(aRow, pStep, b + j, ldb, cRow + j, k, accumulate);
            if (n == 1 && pStep == 1 && ldb == 1)
            {
                // One output column with A's row and B's column both contiguous: a vectorised dot product.
                cRow[0] = (accumulate ? cRow[0] : 0f) + Dot(aRow, b, k);
                continue;
            }
            for (; j < n; j++)
            {
                var sum = accumulate ? cRow[j] : 0f;
                var bColumn = b + j;
                for (var p = 0; p < k; p++) sum = MathF.FusedMultiplyAdd(aRow[p * pStep], bColumn[(long)p * ldb], sum);
                cRow[j] = sum;
            }
        }
    }

    /// <summary>Effectively computes Σₚ x[p]·y[p] in a fixed order: 16 (or 8) lanes, their sum, then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* x, float* y, int n)
    {
        var p = 0;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; p + 16 <= n; p += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(y + p), acc);
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; p + 8 <= n; p += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), acc);
            sum = Vector256.Sum(acc);
        }
        for (; p < n; p++) sum = MathF.FusedMultiplyAdd(x[p], y[p], sum);
        return sum;
    }

    /// <summary>Effectively computes c[0..64] (+)= Σₚ a[p·aStep] · b[p·ldb + 0..64] in four zmm registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns512x4(float* a, long aStep, float* b, int ldb, float* c, int k, bool accumulate)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        if (accumulate) (c0, c1, c2, c3) = (Vector512.Load(c), Vector512.Load(c + 16), Vector512.Load(c + 32), Vector512.Load(c + 48));
        for (var p = 0; p < k; p++, a += aStep, b += ldb)
        {
            var x = Vector512.Create(*a);
            c0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b), c0);
            c1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 16), c1);
            c2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 32), c2);
            c3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 48), c3);
        }
        c0.Store(c); c1.Store(c + 16); c2.Store(c + 32); c3.Store(c + 48);
    }

    /// <summary>Effectively computes c[0..16] (+)= Σₚ a[p·aStep] · b[p·ldb + 0..16] in one zmm register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns512(float* a, long aStep, float* b, int ldb, float* c, int k, bool accumulate)
    {
        var acc = accumulate ? Vector512.Load(c) : default;
        for (var p = 0; p < k; p++, a += aStep, b += ldb) acc = Vector512.FusedMultiplyAdd(Vector512.Create(*a), Vector512.Load(b), acc);
        acc.Store(c);
    }

    /// <summary>Effectively computes c[0..8] (+)= Σₚ a[p·aStep] · b[p·ldb + 0..8] in one ymm register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Columns256(float* a, long aStep, float* b, int ldb, float* c, int k, bool accumulate)
    {
        var acc = accumulate ? Vector256.Load(c) : default;
        for (var p = 0; p < k; p++, a += aStep, b += ldb) acc = Vector256.FusedMultiplyAdd(Vector256.Create(*a), Vector256.Load(b), acc);
        acc.Store(c);
    }

    internal static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}

/// <summary>One product's operands: op(A)(i, p) = TransposeA ? A[p·Lda + i] : A[i·Lda + p], likewise op(B)(p, j).</summary>
internal readonly unsafe struct GemmProblem(float* a, float* b, float* c, int m, int n, int k, int lda, int ldb, int ldc,
    bool transposeA, bool transposeB, bool accumulate)
{
    public readonly float* A = a, B = b, C = c;
    public readonly int M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
    public readonly bool TransposeA = transposeA, TransposeB = transposeB, Accumulate = accumulate;

    /// <summary>The sub-product for output columns [j0, j0 + count).</summary>
    public GemmProblem Columns(int j0, int count) =>
        new(A, TransposeB ? B + (long)j0 * Ldb : B + j0, C + j0, M, count, K, Lda, Ldb, Ldc, TransposeA, TransposeB, Accumulate);

    /// <summary>The sub-product for output rows [i0, i0 + count).</summary>
    public GemmProblem Rows(int i0, int count) =>
        new(TransposeA ? A + i0 : A + (long)i0 * Lda, B, C + (long)i0 * Ldc, count, N, K, Lda, Ldb, Ldc, TransposeA, TransposeB, Accumulate);
}
