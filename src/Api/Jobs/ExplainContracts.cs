namespace BackpropService.Api.Jobs;

/// <summary>POST /api/jobs/{id}/explain: rows to explain, the output column, the method and integrated gradients' path.</summary>
public sealed record ExplainRequest
{
    public double[][]? Inputs { get; init; }

    /// <summary>The output column explained; null: each row's predicted class for a softmax/cross-entropy network, else 0.</summary>
    public int? Output { get; init; }

    /// <summary><c>gradient</c> (the default), <c>gradient_x_input</c> or <c>integrated_gradients</c>.</summary>
    public string? Method { get; init; }

    /// <summary>Integrated gradients' starting point (one row); null: zeros.</summary>
    public double[]? Baseline { get; init; }

    /// <summary>Integrated gradients' trapezoid intervals; null: 64.</summary>
    public int? Steps { get; init; }
}

/// <param name="Outputs">Every output column per row, computed in float64 with the /predict weights.</param>
/// <param name="Attributions">Per row, one attribution per input.</param>
/// <param name="Method">The method used.</param>
/// <param name="Output">The column explained for every row; null when each row's predicted class was (see <paramref name="ExplainedOutputs"/>).</param>
/// <param name="ExplainedOutputs">The column explained for each row.</param>
/// <param name="Steps">Integrated gradients' intervals; null for the other methods.</param>
public sealed record ExplainResponse(IReadOnlyList<double?[]> Outputs, IReadOnlyList<double?[]> Attributions, string Method, int? Output,
    int[] ExplainedOutputs, int? Steps);
