using System.Globalization;
using System.Text;
using System.Text.Json;
using BackpropService.Engine;

namespace BackpropService.Service.Benchmarks;

/// <summary>
/// A deterministic stand-in for MNIST: seeded pseudo-random features in [0, 1) and one-hot targets over 10 classes.
/// The features are rounded to 3 decimals so the JSON stays ~10 MB (docs/API.md "Limits": a body ≤ 32 MB and a dataset
/// ≤ 10,000,000 numbers; 2,048 × (784 + 10) ≈ 1.6 million).
/// </summary>
internal static class MnistLikeDataset
{
    public const int Rows = 2048;
    private const int DataSeed = 1234;

    /// <summary>The body for POST /api/datasets.</summary>
    public static string Json()
    {
        var random = new Random(DataSeed);
        var json = new StringBuilder(Rows * MnistLikeJob.Inputs * 6);
        var labels = new int[Rows];
        json.Append("""{ "name": "mnist-like", "features": [""");
        for (var r = 0; r < Rows; r++)
        {
            json.Append(r == 0 ? "[" : ",[");
            for (var c = 0; c < MnistLikeJob.Inputs; c++)
            {
                if (c > 0) json.Append(',');
                json.Append(Math.Round(random.NextDouble(), 3).ToString(CultureInfo.InvariantCulture));
            }
            json.Append(']');
            labels[r] = random.Next(MnistLikeJob.Classes);
        }
        json.Append("""], "targets": [""");
        for (var r = 0; r < Rows; r++)
        {
            json.Append(r == 0 ? "[" : ",[");
            for (var k = 0; k < MnistLikeJob.Classes; k++) json.Append(k == 0 ? "" : ",").Append(k == labels[r] ? '1' : '0');
            json.Append(']');
        }
        return json.Append("] }").ToString();
    }

    /// <summary>
    /// The bare engine's copy, read back from the very JSON that was posted the way the service reads it
    /// (System.Text.Json doubles narrowed to float32), so both sides train on the same bits.
    /// </summary>
    public static TrainingData Parse(string json)
    {
        var body = JsonSerializer.Deserialize<Body>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException("The dataset JSON is empty.");
        return new TrainingData(Flatten(body.Features), Flatten(body.Targets), body.Features.Length,
            body.Features[0].Length, body.Targets[0].Length);
    }

    private static float[] Flatten(double[][] rows) => rows.SelectMany(row => row.Select(value => (float)value)).ToArray();

    private sealed record Body(string Name, double[][] Features, double[][] Targets);
}
