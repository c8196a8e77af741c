using System.Text.Json;
using BackpropService.Client;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Tests.Harness;

/// <summary>Sweeps made and followed through the client, to meet the commands in a known state.</summary>
public static class Sweeps
{
    /// <summary>A 2 × 2 XOR grid (learningRate 0.5, 2 × seed 1, 2) on inline network and data.</summary>
    public static SweepRequest XorGrid(int epochs, int? maxConcurrent = null) => new()
    {
        Name = "xor grid",
        Base = new JobRequest
        {
            Network = JsonSerializer.Deserialize<NetworkDefinition>(XorFiles.Network, BackpropJson.Options),
            Dataset = new DatasetDefinition { Features = [[0, 0], [0, 1], [1, 0], [1, 1]], Targets = [[0], [1], [1], [0]] },
            Epochs = epochs,
        },
        Grid = new Dictionary<string, JsonElement[]> { ["learningRate"] = SweepValues.Of(0.5, 2.0), ["seed"] = SweepValues.Of(1, 2) },
        Metric = "cost",
        MaxConcurrent = maxConcurrent,
    };

    /// <summary>Follows the sweep (the stream, not polling) until it has ended.</summary>
    public static async Task<Sweep> EndAsync(this BackpropClient client, string sweepId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await foreach (var _ in client.WatchSweepAsync(sweepId, timeout.Token)) { }
        return await client.GetSweepAsync(sweepId, timeout.Token);
    }

    /// <summary>Follows the sweep until one of its trials is seen training (a trial message with epochs done).</summary>
    public static async Task RunningAsync(this BackpropClient client, string sweepId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var update in client.WatchSweepAsync(sweepId, timeout.Token))
            if (update is SweepUpdate.TrialChanged { Trial: { Status: JobStatus.Running, EpochsCompleted: > 0 } }) return;
        throw new InvalidOperationException($"Sweep {sweepId} ended before a trial was seen training.");
    }

    /// <summary>The sweep a command submitted, once it exists (the condition, checked until it holds).</summary>
    public static async Task<Sweep> SubmittedAsync(this BackpropClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if ((await client.ListSweepsAsync(ct: timeout.Token)).Items is [var sweep]) return sweep;
            await Task.Delay(20, timeout.Token);
        }
    }
}
