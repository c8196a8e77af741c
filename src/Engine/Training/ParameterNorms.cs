namespace BackpropService.Engine;

/// <summary>
/// One epoch's L2 norm of each parameter's gradient (recordGradientNorms): <see cref="Values"/>[i] belongs to
/// <see cref="Names"/>[i], a list shared by every epoch of the run.
/// </summary>
public sealed record ParameterNorms(IReadOnlyList<string> Names, double[] Values);
