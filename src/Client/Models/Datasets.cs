namespace BackpropService.Client.Models;

/// <summary>A dataset as JSON: <see cref="Features"/> with either <see cref="Targets"/> or class <see cref="Labels"/>.</summary>
public sealed record DatasetDefinition
{
    public string? Name { get; init; }
    public double[][]? Features { get; init; }
    public double[][]? Targets { get; init; }
    public int[]? Labels { get; init; }
}

public sealed record Dataset(
    string Id, string Name, int Rows, int FeatureCount, int TargetCount, IReadOnlyList<string>? Classes, DateTime CreatedAt);
