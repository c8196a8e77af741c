namespace BackpropService.Api.Warmup;

/// <summary>
/// The job <see cref="FirstUseWarmup"/> runs: XOR on a 2-2-1 sigmoid network, one epoch, as a client would post it.
/// The ids name no row (ids are GUIDs), so the lookups run and find nothing.
/// </summary>
public static class ScratchJob
{
    public const string MissingId = "warm-up";

    public const string ByIdJson = $$"""
        {"networkId": "{{MissingId}}", "datasetId": "{{MissingId}}", "epochs": 1, "learningRate": 0.5, "seed": 42}
        """;

    public const string InlineJson = """
        {"network": {"name": "warm-up", "inputs": 2, "loss": "binary_cross_entropy",
                     "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]},
         "dataset": {"name": "warm-up", "features": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
         "epochs": 1, "learningRate": 0.5, "seed": 42}
        """;
}
