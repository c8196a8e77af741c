namespace BackpropService.Persistence.Entities;

/// <summary>A validated network: its compiled graph definition (JSON) and a summary for listings.</summary>
public sealed class Network
{
    public required string Id { get; init; }
    public required string Name { get; set; }

    /// <summary>"layers" or "graph": the form the client used.</summary>
    public required string Kind { get; init; }

    /// <summary>The engine's graph definition as JSON; rebuilt with <c>Network.FromGraph</c>.</summary>
    public required string GraphJson { get; init; }

    public int? Inputs { get; init; }
    public int? Outputs { get; init; }
    public long ParameterCount { get; init; }
    public DateTime CreatedAt { get; init; }

    /// <summary>The API key owner who created it; "" when API keys are off.</summary>
    public string Owner { get; set; } = "";
}
