using BackpropService.Engine.Training;

namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>
/// The random draws the candidate initialisers are made of, all from the engine's own generator (xoshiro256**, seeded
/// by the job's seed) in row-major order, so a rule's numbers for a seed are what the engine would draw if it were the
/// default. (PyTorch draws from another generator, so its per-seed outcomes, though not its rates, differ.)
/// </summary>
internal static class Draws
{
    /// <summary>U(−limit, limit): one draw per value, as the engine's own initialisers do.</summary>
    public static double[] Uniform(Rng rng, int count, double limit)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = (2.0 * rng.NextDouble() - 1.0) * limit;
        return values;
    }

    /// <summary>N(0, std²) by Box–Muller: two draws per value (the sine half is discarded).</summary>
    public static double[] Normal(Rng rng, int count, double std)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            var u = 1.0 - rng.NextDouble();
            values[i] = std * Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
        }
        return values;
    }

    /// <summary>
    /// A [rows, cols] matrix (row-major) whose shorter side is orthonormal, times <paramref name="gain"/>: a Gaussian
    /// matrix orthonormalised by Gram–Schmidt, which is the QR of PyTorch's orthogonal_ with R's diagonal made positive.
    /// </summary>
    public static double[] Orthogonal(Rng rng, int rows, int cols, double gain)
    {
        var (tall, wide) = (Math.Max(rows, cols), Math.Min(rows, cols));
        var gaussian = Normal(rng, tall * wide, 1.0);
        // Columns of a [tall, wide] matrix, orthonormalised in place.
        var q = Enumerable.Range(0, wide).Select(c => Enumerable.Range(0, tall).Select(r => gaussian[r * wide + c]).ToArray()).ToArray();
        for (var c = 0; c < wide; c++)
        {
            for (var p = 0; p < c; p++)
            {
                var dot = q[c].Zip(q[p], (a, b) => a * b).Sum();
                for (var r = 0; r < tall; r++) q[c][r] -= dot * q[p][r];
            }
            var norm = Math.Sqrt(q[c].Sum(v => v * v));
            for (var r = 0; r < tall; r++) q[c][r] /= norm;
        }
        var values = new double[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                values[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
        return values;
    }
}
