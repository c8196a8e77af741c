namespace BackpropService.Api.OpenApi;

/// <summary>Request and response examples per endpoint name, shown in Swagger UI (the XOR story throughout).</summary>
public static class ApiExamples
{
    /// <summary>One endpoint's examples; <paramref name="Csv"/> is a text/csv request body and <paramref name="Query"/> the query parameters it needs.</summary>
    public sealed record Example(string? Request, string Response, string Status = "200", string? Csv = null, IReadOnlyDictionary<string, string>? Query = null);

    private const string Job = """
        { "id": "0199c0de-0000-7000-8000-000000000003", "status": "running", "networkId": "0199c0de-0000-7000-8000-000000000001",
          "datasetId": "0199c0de-0000-7000-8000-000000000002", "name": "xor", "notes": null, "tags": ["baseline"], "epochs": 10000, "epochsCompleted": 4210, "cost": 0.0213,
          "validationCost": null, "createdAt": "2026-01-01T12:00:00Z", "startedAt": "2026-01-01T12:00:01Z", "finishedAt": null,
          "error": null, "learningRate": 0.5, "optimizer": "sgd", "batchSize": null, "seed": 42, "attempts": 1,
          "currentLearningRate": 0.3343, "initialWeights": null, "accuracy": 1.0, "validationAccuracy": null, "recordGradientNorms": true }
        """;

    private const string Network = """
        { "id": "0199c0de-0000-7000-8000-000000000001", "name": "xor", "inputs": 2, "outputs": 1, "parameterCount": 9,
          "graph": { "nodes": [ { "id": "x", "op": "input", "inputs": [], "shape": [2] } ], "edges": [ { "from": "x", "to": "layers.0.matmul" } ],
                     "output": "layers.1.activation", "loss": "loss" },
          "createdAt": "2026-01-01T12:00:00Z" }
        """;

    private const string Dataset = """
        { "id": "0199c0de-0000-7000-8000-000000000002", "name": "xor", "rows": 4, "featureCount": 2, "targetCount": 1,
          "classes": null, "createdAt": "2026-01-01T12:00:00Z" }
        """;

    private const string Evaluation = """
        { "value": 1.2668, "gradients": { "x": 0.9501 },
          "nodes": [ { "id": "x", "op": "input", "inputs": [], "shape": [], "value": 0.5, "gradient": 0.9501 },
                     { "id": "h", "op": "square", "inputs": ["x"], "shape": [], "value": 0.25, "gradient": 0.9501 } ],
          "edges": [ { "from": "x", "to": "h", "localDerivative": 1.0 } ] }
        """;

    private const string Sweep = """
        { "id": "0199c0de-0000-7000-8000-000000000004", "name": "xor: rate × seed", "status": "running", "metric": "cost",
          "maxConcurrent": 4, "trials": { "total": 12, "queued": 5, "running": 4, "succeeded": 3, "failed": 0, "cancelled": 0 },
          "best": { "jobId": "0199c0de-0000-7000-8000-000000000005", "params": { "learningRate": 1.0, "seed": 1, "momentum": 0.675 }, "value": 0.0017 },
          "createdAt": "2026-01-01T12:00:00Z", "finishedAt": null }
        """;

    public static readonly IReadOnlyDictionary<string, Example> ByEndpoint = new Dictionary<string, Example>
    {
        ["CreateNetwork"] = new("""
            { "name": "xor", "inputs": 2,
              "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ],
              "loss": "binary_cross_entropy" }
            """, Network, "201"),
        ["ListNetworks"] = new(null, $$"""{ "items": [ {{Network}} ], "next": null }"""),
        ["GetNetwork"] = new(null, Network),
        ["CreateDataset"] = new("""
            { "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }
            """, Dataset, "201", Csv: "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n",
            Query: new Dictionary<string, string> { ["target"] = "y", ["name"] = "xor" }),
        ["ListDatasets"] = new(null, $$"""{ "items": [ {{Dataset}} ], "next": null }"""),
        ["GetDataset"] = new(null, Dataset),
        ["GetDatasetRows"] = new(null, """
            { "datasetId": "0199c0de-0000-7000-8000-000000000002", "rows": 4, "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] }
            """),
        // Inline network and dataset, so "Try it out" works on an empty service as it stands.
        ["CreateJob"] = new("""
            { "network": { "name": "xor", "inputs": 2,
                           "layers": [ { "units": 2, "activation": "sigmoid" }, { "units": 1, "activation": "sigmoid" } ],
                           "loss": "binary_cross_entropy" },
              "dataset": { "name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]] },
              "epochs": 10000, "learningRate": 0.5, "optimizer": "sgd", "batchSize": null, "seed": 42,
              "learningRateSchedule": { "type": "cosine", "minLearningRate": 0.05, "warmupEpochs": 100 }, "clipGradNorm": 5,
              "earlyStopping": { "metric": "cost", "patience": 500, "minDelta": 0, "restoreBest": true } }
            """, Job, "202"),
        ["ListJobs"] = new(null, $$"""{ "items": [ {{Job}} ], "next": "NjM4OTk...OjAxOTljMGRl" }"""),
        ["GetJob"] = new(null, Job),
        ["GetJobHistory"] = new(null, """
            { "jobId": "0199c0de-0000-7000-8000-000000000003",
              "points": [ { "epoch": 1, "cost": 0.7134, "validationCost": null, "accuracy": 0.5, "validationAccuracy": null },
                          { "epoch": 2, "cost": 0.7121, "validationCost": null, "accuracy": 0.75, "validationAccuracy": null,
                            "gradientNorms": { "layers.0.weights": 0.0121, "layers.0.bias": 0.0093, "layers.1.weights": 0.2216, "layers.1.bias": 0.1874 } } ] }
            """),
        ["GetJobWeights"] = new(null, """
            { "jobId": "0199c0de-0000-7000-8000-000000000003", "epoch": 10000,
              "parameters": [ { "name": "layers.0.weights", "shape": [2, 2], "values": [5.9, 3.7, 5.8, 3.7] },
                              { "name": "layers.0.bias", "shape": [2], "values": [-2.4, -5.6] } ] }
            """),
        ["CancelJob"] = new(null, Job, "202"),
        ["PatchJob"] = new("""{ "name": "xor", "notes": "the baseline the sweep compares with", "tags": ["baseline"] }""", Job),
        ["Predict"] = new("""{ "inputs": [[0,1],[1,1]] }""", """{ "outputs": [[0.97],[0.03]] }"""),
        ["Explain"] = new("""{ "inputs": [[0,1],[1,1]], "method": "integrated_gradients", "baseline": [0,0], "steps": 64 }""", """
            { "outputs": [[0.97],[0.03]], "attributions": [[0.01, 0.93],[0.45, -0.45]], "method": "integrated_gradients", "output": 0,
              "explainedOutputs": [0, 0], "steps": 64 }
            """),
        ["GetJobGraph"] = new(null, Evaluation),
        ["CreateSweep"] = new("""
            { "name": "xor: rate × seed", "maxConcurrent": 4, "metric": "cost",
              "base": { "networkId": "0199c0de-0000-7000-8000-000000000001", "datasetId": "0199c0de-0000-7000-8000-000000000002",
                        "epochs": 2000, "optimizer": "momentum", "learningRate": 0.5 },
              "grid": { "learningRate": [0.1, 0.5, 1.0], "seed": [1, 2] },
              "random": { "count": 2, "seed": 7, "space": { "momentum": { "uniform": [0.5, 0.95] } } } }
            """, Sweep.Replace("\"status\": \"running\"", "\"status\": \"queued\""), "202"),
        ["ListSweeps"] = new(null, $$"""{ "items": [ {{Sweep}} ], "next": null }"""),
        ["GetSweep"] = new(null, Sweep),
        ["GetSweepTrials"] = new(null, """
            { "items": [
                { "jobId": "0199c0de-0000-7000-8000-000000000005", "params": { "learningRate": 1.0, "seed": 1, "momentum": 0.675 },
                  "status": "succeeded", "epochsCompleted": 2000, "cost": 0.0017, "validationCost": null, "value": 0.0017 },
                { "jobId": "0199c0de-0000-7000-8000-000000000006", "params": { "learningRate": 0.1, "seed": 2, "momentum": 0.507 },
                  "status": "running", "epochsCompleted": 812, "cost": 0.41, "validationCost": null, "value": 0.41 } ],
              "next": "bzo1MA" }
            """),
        ["CancelSweep"] = new(null, Sweep.Replace("\"status\": \"running\"", "\"status\": \"cancelled\""), "202"),
        // The 200 body is the binary model; the example shows the answer for a graph that does not export.
        ["GetJobOnnx"] = new(null, """
            { "type": "https://tools.ietf.org/html/rfc4918#section-11.2", "title": "Unprocessable Content", "status": 422,
              "detail": "Node 'loss' on the path to the output uses op 'mse', which has no ONNX equivalent; only networks whose output path maps to ONNX ops export." }
            """, "422"),
        ["EvaluateGraph"] = new("""
            { "graph": { "nodes": [ { "id": "x", "op": "input" }, { "id": "h", "op": "square", "inputs": ["x"] },
                                    { "id": "g", "op": "sin", "inputs": ["h"] }, { "id": "f", "op": "exp", "inputs": ["g"] } ],
                         "output": "f" },
              "inputs": { "x": 0.5 } }
            """, Evaluation),
        ["Health"] = new(null, """{ "status": "healthy", "database": "ok", "worker": "ok", "secondsSinceWorkerHeartbeat": 0.4 }"""),
    };
}
