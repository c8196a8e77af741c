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
        if (Vector512.IsHardwareAccelerated) Blocked<GemmKernel512>(g);
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
            for (var pc = 0; pc < g.K; pc += KC)
            {
                var kc = Math.Min(KC, g.K - pc);
                GemmPacking.PackB(g, pc, kc, jc, nc, nr, packB);
                var accumulate = g.Accumulate || pc > 0;
                for (var ic = 0; ic < g.M; ic += MC)
                {
                    var mc = Math.Min(MC, g.M - ic);
                    GemmPacking.PackA(g, ic, mc, pc, kc, mr, packA);
                    for (var jr = 0; jr < nc; jr += nr)
                    {
                        var nrValid = Math.Min(nr, nc - jr);
                        var bp = packB + jr * kc;
                        for (var ir = 0; ir < mc; ir += mr)
                        {
                            var mrValid = Math.Min(mr, mc - ir);
                            var ap = packA + ir * kc;
                            var cp = g.C + (long)(ic + ir) * g.Ldc + jc + jr;
                            if (mrValid == mr && nrValid == nr)
                            {
                                TKernel.Run(kc, ap, bp, cp, g.Ldc, accumulate);
                                continue;
                            }
                            TKernel.Run(kc, ap, bp, tile, nr, false);
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
    /// Unpacked product for tiny shapes (the xor and small networks): row axpys for op(B) = B, dot products for op(B) = Bᵀ.
    /// Every element is summed over p in order, starting from C (accumulate) or zero.
    /// </summary>
    internal static void Direct(in GemmProblem g)
    {
        // Locals, not fields of g: stores through C could alias g, which would make the JIT reload every field.
        float* a = g.A, b = g.B, c = g.C;
        int m = g.M, n = g.N, k = g.K, lda = g.Lda, ldb = g.Ldb, ldc = g.Ldc;
        bool transposeA = g.TransposeA, accumulate = g.Accumulate;
        if (!g.TransposeB)
        {
            for (var i = 0; i < m; i++)
            {
                var row = c + (long)i * ldc;
                if (!accumulate) new Span<float>(row, n).Clear();
                if (n == 1)
                {
                    // A column of outputs (the last layer of a binary classifier): a dot product with B's column.
                    var sum = row[0];
                    for (var p = 0; p < k; p++)
                        sum = MathF.FusedMultiplyAdd(transposeA ? a[(long)p * lda + i] : a[(long)i * lda + p], b[(long)p * ldb], sum);
                    row[0] = sum;
                    continue;
                }
                for (var p = 0; p < k; p++)
                {
                    var s = transposeA ? a[(long)p * lda + i] : a[(long)i * lda + p];
                    Axpy(s, b + (long)p * ldb, row, n);
                }
            }
            return;
        }
        for (var i = 0; i < m; i++)
        {
            var row = c + (long)i * ldc;
            for (var j = 0; j < n; j++)
            {
                var bRow = b + (long)j * ldb;
                var sum = transposeA ? StridedDot(a + i, lda, bRow, k) : Dot(a + (long)i * lda, bRow, k);
                row[j] = accumulate ? row[j] + sum : sum;
            }
        }
    }

    /// <summary>Effectively computes y[0..n] = s·x + y with fused multiply-adds (widest vectors first, then a scalar tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Axpy(float s, float* x, float* y, int n)
    {
        var j = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var vs = Vector512.Create(s);
            for (; j <= n - 16; j += 16) Vector512.FusedMultiplyAdd(vs, Vector512.Load(x + j), Vector512.Load(y + j)).Store(y + j);
        }
        if (Vector256.IsHardwareAccelerated && n - j >= 8)
        {
            var vs = Vector256.Create(s);
            for (; j <= n - 8; j += 8) Vector256.FusedMultiplyAdd(vs, Vector256.Load(x + j), Vector256.Load(y + j)).Store(y + j);
        }
        for (; j < n; j++) y[j] = MathF.FusedMultiplyAdd(s, x[j], y[j]);
    }

    /// <summary>Effectively computes Σⱼ x[j]·y[j] in a fixed order: 16 lanes (or 8) then a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(float* x, float* y, int n)
    {
        var j = 0;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; j <= n - 16; j += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + j), Vector512.Load(y + j), acc);
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; j <= n - 8; j += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + j), Vector256.Load(y + j), acc);
            sum = Vector256.Sum(acc);
        }
        for (; j < n; j++) sum = MathF.FusedMultiplyAdd(x[j], y[j], sum);
        return sum;
    }

    private static float StridedDot(float* x, int stride, float* y, int n)
    {
        var sum = 0f;
        for (var j = 0; j < n; j++) sum = MathF.FusedMultiplyAdd(x[(long)j * stride], y[j], sum);
        return sum;
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
