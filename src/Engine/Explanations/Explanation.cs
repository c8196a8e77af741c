namespace BackpropService.Engine;

/// <summary>
/// Per row: every output column (float64, for the rows as given), the explained column (<see cref="ExplainedOutputs"/>)
/// and one attribution per input.
/// </summary>
public sealed record Explanation(double[][] Outputs, double[][] Attributions, int[] ExplainedOutputs);
