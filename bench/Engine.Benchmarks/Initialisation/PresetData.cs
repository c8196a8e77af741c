using System.Globalization;

namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>
/// The page's preset datasets (src/Api/wwwroot/js/presets.js) rebuilt point for point: the same mulberry32 generator,
/// Box–Muller noise and 4-decimal rounding; iris from the page's own CSV with classes one-hot in ordinal order, as the
/// service's CSV parser does.
/// </summary>
internal static class PresetData
{
    public static TrainingData TwoCircles(int count = 200, double noise = 0.08)
    {
        var rand = Mulberry32(7);
        var features = new List<double>();
        var targets = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var label = i % 2;
            var radius = label == 1 ? 1.0 : 0.45;
            var angle = 2 * Math.PI * rand();
            features.Add(Round(radius * Math.Cos(angle) + noise * Gaussian(rand)));
            features.Add(Round(radius * Math.Sin(angle) + noise * Gaussian(rand)));
            targets.Add(label);
        }
        return Data(features, targets, 2, 1);
    }

    public static TrainingData TwoSpirals(int perArm = 120, double noise = 0.02)
    {
        var rand = Mulberry32(11);
        var features = new List<double>();
        var targets = new List<double>();
        for (var i = 0; i < perArm; i++)
        {
            var t = (double)i / perArm;
            var radius = 0.1 + 0.9 * t;
            var angle = 1.75 * 2 * Math.PI * t;
            for (var label = 0; label <= 1; label++)
            {
                var a = angle + label * Math.PI;
                features.Add(Round(radius * Math.Sin(a) + noise * Gaussian(rand)));
                features.Add(Round(radius * Math.Cos(a) + noise * Gaussian(rand)));
                targets.Add(label);
            }
        }
        return Data(features, targets, 2, 1);
    }

    public static TrainingData Iris(string csvPath)
    {
        var rows = File.ReadAllLines(csvPath).Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).ToArray();
        var classes = rows.Select(r => r[^1].Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var features = rows.SelectMany(r => r[..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture)));
        var targets = rows.SelectMany(r => classes.Select(c => c == r[^1].Trim() ? 1.0 : 0.0));
        return Data(features, targets, rows[0].Length - 1, classes.Count);
    }

    private static TrainingData Data(IEnumerable<double> features, IEnumerable<double> targets, int featureCount, int targetCount)
    {
        var f = features.Select(v => (float)v).ToArray();
        return new TrainingData(f, targets.Select(v => (float)v).ToArray(), f.Length / featureCount, featureCount, targetCount);
    }

    /// <summary>JavaScript's Math.round(x · 10⁴) / 10⁴ (halves round up).</summary>
    private static double Round(double x) => Math.Floor(x * 1e4 + 0.5) / 1e4;

    private static double Gaussian(Func<double> rand)
    {
        var u = 1 - rand();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * rand());
    }

    /// <summary>presets.js's mulberry32, in 32-bit unsigned arithmetic (Math.imul and |0 wrap the same way).</summary>
    private static Func<double> Mulberry32(uint seed)
    {
        var a = seed;
        return () =>
        {
            unchecked
            {
                a += 0x6d2b79f5;
                var t = a;
                t = (t ^ (t >> 15)) * (t | 1);
                t ^= t + (t ^ (t >> 7)) * (t | 61);
                return (t ^ (t >> 14)) / 4294967296.0;
            }
        };
    }
}
