using System.Net;

namespace BackpropService.Reliability.Tests.Harness;

/// <summary>
/// The job the fault tests train: a 2-16-16-1 tanh net on a 64-row two-moons-like set, Adam, batches of 8 with
/// shuffling, so a resume must restore the optimizer moments, the RNG position and the row order to end bit-identical.
/// </summary>
public static class Workload
{
    public static string Network => """
        { "name": "fault-net", "inputs": 2,
          "layers": [ { "units": 16, "activation": "tanh" }, { "units": 16, "activation": "tanh" },
                      { "units": 1, "activation": "sigmoid" } ],
          "loss": "binary_cross_entropy" }
        """;

    public static string Dataset
    {
        get
        {
            var features = new List<string>();
            var targets = new List<string>();
            for (var i = 0; i < 64; i++)
            {
                var angle = Math.PI * (i % 32) / 31.0;
                var upper = i < 32;
                var x = upper ? Math.Cos(angle) : 1 - Math.Cos(angle);
                var y = upper ? Math.Sin(angle) : 0.5 - Math.Sin(angle);
                features.Add(FormattableString.Invariant($"[{x:R},{y:R}]"));
                targets.Add(upper ? "[1]" : "[0]");
            }
            return $$"""{ "name": "moons", "features": [{{string.Join(',', features)}}], "targets": [{{string.Join(',', targets)}}] }""";
        }
    }

    public static string Job(string networkId, string datasetId, int epochs, ulong seed = 1234) =>
        $$"""
        { "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": {{epochs}},
          "learningRate": 0.01, "optimizer": "adam", "batchSize": 8, "shuffle": true, "seed": {{seed}} }
        """;

    public static async Task<(string NetworkId, string DatasetId)> CreateNetworkAndDatasetAsync(this HttpClient client) =>
        (await client.PostAsync("/api/networks", Network, HttpStatusCode.Created),
         await client.PostAsync("/api/datasets", Dataset, HttpStatusCode.Created));
}
