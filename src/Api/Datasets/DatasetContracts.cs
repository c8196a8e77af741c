namespace BackpropService.Api.Datasets;

/// <summary>A dataset in JSON: <c>features</c> rows and either <c>targets</c> rows or integer class <c>labels</c>.</summary>
public sealed record CreateDatasetRequest
{
    public string? Name { get; init; }
    public double[][]? Features { get; init; }
    public double[][]? Targets { get; init; }
    public int[]? Labels { get; init; }
}

public sealed record DatasetResponse(
    string Id,
    string Name,
    int Rows,
    int FeatureCount,
    int TargetCount,
    IReadOnlyList<string>? Classes,
    DateTime CreatedAt);

/// <summary>GET /api/datasets/{id}/rows: the first rows (of <paramref name="Rows"/> in all), targets one-hot for class labels.</summary>
public sealed record DatasetRowsResponse(string DatasetId, int Rows, double[][] Features, double[][] Targets);

/// <summary>A parsed, validated dataset, row-major in float32 as the engine trains on it.</summary>
public sealed record DatasetData(string Name, float[] Features, float[] Targets, int Rows, int FeatureCount, int TargetCount, IReadOnlyList<string>? Classes);
