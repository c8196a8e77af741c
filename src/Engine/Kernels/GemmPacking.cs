using System.Runtime.Intrinsics;

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
            // op(A)(i, p) = A[i·lda + p]: read each row contiguously, write with stride mr.
            for (var r = 0; r < mr; r++)
            {
                var target = strip + r;
                if (r >= rows)
                {
                    for (var p = 0; p < kc; p++) target[p * mr] = 0;
                    continue;
                }
                var source = g.A + (long)(ic + s + r) * g.Lda + pc;
                for (var p = 0; p < kc; p++) target[p * mr] = source[p];
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
            // op(B)(p, j) = B[j·ldb + p]: read each stored row contiguously, write with stride nr.
            for (var j = 0; j < nr; j++)
            {
                var target = strip + j;
                if (j >= cols)
                {
                    for (var p = 0; p < kc; p++) target[p * nr] = 0;
                    continue;
                }
                var source = g.B + (long)(jc + t + j) * g.Ldb + pc;
                for (var p = 0; p < kc; p++) target[p * nr] = source[p];
            }
        }
    }
}
