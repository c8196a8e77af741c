using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BackpropService.Engine.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the micro-kernels' order: A as strips of MR rows stored column by column
/// (a[strip][p][r]), B as strips of NR columns stored row by row (b[strip][p][j]), zero-padded past the edges.
/// Transposition happens here, once per block, so the micro-kernel only ever streams contiguous memory.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>Effectively computes dst[s][p][r] = op(A)(ic + s·mr + r, pc + p) (0 past row ic + mc).</summary>
    public static void PackA(in GemmProblem g, int ic, int mc, int pc, int kc, int mr, float* dst)
    {
        for (var s = 0; s < mc; s += mr)
        {
            var rows = Math.Min(mr, mc - s);
            var strip = dst + s * kc;
            if (g.TransposeA)
            {
                // op(A)(i, p) = A[p·lda + i]: each p is a contiguous run of rows.
                var source = g.A + (long)pc * g.Lda + ic + s;
                for (var p = 0; p < kc; p++, source += g.Lda, strip += mr)
                {
                    var r = 0;
                    if (rows == 8 && Vector256.IsHardwareAccelerated) { Vector256.Load(source).Store(strip); continue; }
                    for (; r < rows; r++) strip[r] = source[r];
                    for (; r < mr; r++) strip[r] = 0;
                }
                continue;
            }
            // op(A)(i, p) = A[i·lda + p]: 8 × 8 blocks transposed in registers where AVX has them.
            var done = 0;
            if (Avx.IsSupported && mr == 8 && rows == 8)
            {
                var source = g.A + (long)(ic + s) * g.Lda + pc;
                for (; done + 8 <= kc; done += 8) Transpose8x8(source + done, g.Lda, strip + done * 8, 8);
            }
            // The rest: read each row contiguously, write with stride mr.
            for (var r = 0; r < mr; r++)
            {
                var target = strip + r;
                if (r >= rows)
                {
                    for (var p = done; p < kc; p++) target[p * mr] = 0;
                    continue;
                }
                var source = g.A + (long)(ic + s + r) * g.Lda + pc;
                for (var p = done; p < kc; p++) target[p * mr] = source[p];
            }
        }
    }

    /// <summary>Effectively computes dst[t][p][j] = op(B)(pc + p, jc + t·nr + j) (0 past column jc + nc).</summary>
    public static void PackB(in GemmProblem g, int pc, int kc, int jc, int nc, int nr, float* dst)
    {
        for (var t = 0; t < nc; t += nr)
        {
            var cols = Math.Min(nr, nc - t);
            var strip = dst + t * kc;
            if (!g.TransposeB)
            {
                // op(B)(p, j) = B[p·ldb + j]: each p is a contiguous run of columns.
                var source = g.B + (long)pc * g.Ldb + jc + t;
                for (var p = 0; p < kc; p++, source += g.Ldb, strip += nr)
                {
                    if (cols == nr && nr == 32 && Vector512.IsHardwareAccelerated)
                    {
                        Vector512.Load(source).Store(strip);
                        Vector512.Load(source + 16).Store(strip + 16);
                        continue;
                    }
                    if (cols == nr && nr == 16 && Vector256.IsHardwareAccelerated)
                    {
                        Vector256.Load(source).Store(strip);
                        Vector256.Load(source + 8).Store(strip + 8);
                        continue;
                    }
                    var j = 0;
                    for (; j < cols; j++) strip[j] = source[j];
                    for (; j < nr; j++) strip[j] = 0;
                }
                continue;
            }
            // op(B)(p, j) = B[j·ldb + p]: 8 × 8 blocks transposed in registers where AVX has them.
            var done = 0;
            if (Avx.IsSupported && cols == nr && nr % 8 == 0)
            {
                for (; done + 8 <= kc; done += 8)
                    for (var j = 0; j < nr; j += 8)
                        Transpose8x8(g.B + (long)(jc + t + j) * g.Ldb + pc + done, g.Ldb, strip + done * nr + j, nr);
            }
            // The rest: read each stored row contiguously, write with stride nr.
            for (var j = 0; j < nr; j++)
            {
                var target = strip + j;
                if (j >= cols)
                {
                    for (var p = done; p < kc; p++) target[p * nr] = 0;
                    continue;
                }
                var source = g.B + (long)(jc + t + j) * g.Ldb + pc;
                for (var p = done; p < kc; p++) target[p * nr] = source[p];
            }
        }
    }

    /// <summary>Effectively computes dst[q·dstStride + r] = src[r·srcStride + q] for r, q &lt; 8 (unpack, shuffle, permute).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, int srcStride, float* dst, int dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2L * srcStride);
        var r3 = Avx.LoadVector256(src + 3L * srcStride);
        var r4 = Avx.LoadVector256(src + 4L * srcStride);
        var r5 = Avx.LoadVector256(src + 5L * srcStride);
        var r6 = Avx.LoadVector256(src + 6L * srcStride);
        var r7 = Avx.LoadVector256(src + 7L * srcStride);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2L * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3L * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4L * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5L * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6L * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7L * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }
}
