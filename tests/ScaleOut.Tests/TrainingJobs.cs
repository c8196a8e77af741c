namespace BackpropService.ScaleOut.Tests;

/// <summary>Job requests with inline network and data (same seed, same result), sized to train for a while or briefly.</summary>
internal static class TrainingJobs
{
    /// <summary>A 16-64-64-1 net on 512 rows, full batch: seconds of training, long enough to kill its replica midway.</summary>
    public static object Slow(int epochs)
    {
        var random = new Random(7);
        var features = new double[512][];
        var targets = new double[512][];
        for (var r = 0; r < features.Length; r++)
        {
            features[r] = Enumerable.Range(0, 16).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            targets[r] = [features[r].Take(8).Sum() * features[r].Skip(8).Sum() > 0 ? 1 : 0];
        }
        return new
        {
            network = new
            {
                name = "scale-out slow",
                inputs = 16,
                layers = new object[]
                {
                    new { units = 64, activation = "tanh" },
                    new { units = 64, activation = "tanh" },
                    new { units = 1, activation = "sigmoid" },
                },
                loss = "binary_cross_entropy",
            },
            dataset = new { name = "scale-out slow", features, targets },
            epochs,
            learningRate = 0.05,
            optimizer = "adam",
            seed = 11,
        };
    }

    /// <summary>The seed's 2-2-1 XOR net, 3,000 epochs by default: well under a second of training.</summary>
    public static object Quick(int seed, int epochs = 3000) => new
    {
        network = new
        {
            name = "xor",
            inputs = 2,
            layers = new object[] { new { units = 2, activation = "sigmoid" }, new { units = 1, activation = "sigmoid" } },
            loss = "binary_cross_entropy",
        },
        dataset = new { name = "xor", features = new[] { new[] { 0.0, 0 }, [0, 1], [1, 0], [1, 1] }, targets = new[] { new[] { 0.0 }, [1], [1], [0] } },
        epochs,
        learningRate = 0.5,
        seed,
    };
}
