using BackpropService.Client.Models;

namespace BackpropService.Client.Tests.Harness;

/// <summary>The seed's 2-2-1 sigmoid XOR network and its four rows.</summary>
public static class Xor
{
    public static NetworkDefinition Network => new()
    {
        Name = "xor",
        Inputs = 2,
        Layers = [new LayerDefinition { Units = 2, Activation = "sigmoid" }, new LayerDefinition { Units = 1, Activation = "sigmoid" }],
        Loss = "binary_cross_entropy",
    };

    public static DatasetDefinition Dataset => new()
    {
        Name = "xor",
        Features = [[0, 0], [0, 1], [1, 0], [1, 1]],
        Targets = [[0], [1], [1], [0]],
    };

    public const string Csv = "a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n";

    public static JobRequest Job(int epochs, ulong seed = 42) => new()
    {
        Network = Network,
        Dataset = Dataset,
        Epochs = epochs,
        LearningRate = 0.5,
        Seed = seed,
    };

    /// <summary>Waits for the job to finish by watching it (the stream, not polling).</summary>
    public static async Task<Job> FinishAsync(this BackpropClient client, string jobId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await foreach (var _ in client.WatchAsync(jobId, timeout.Token)) { }
        return await client.GetJobAsync(jobId, timeout.Token);
    }
}
