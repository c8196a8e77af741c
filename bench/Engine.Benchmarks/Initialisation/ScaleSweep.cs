namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>
/// Not published rules: weights U(±k) for every layer with zero biases, over a range of k, to show whether any scale
/// at all (principled or not) reaches the target on the XOR net (option --scale-sweep).
/// </summary>
internal static class ScaleSweep
{
    public static IEnumerable<InitCandidate> Candidates { get; } =
        new[] { 0.1, 0.25, 0.5, 0.707, 1.0, 1.5, 2.0, 3.0 }.Select(k => new InitCandidate(
            $"U(±{k}), zero bias", "diagnostic scale, no citation",
            (l, rng) => Draws.Uniform(rng, l.FanIn * l.FanOut, k), (l, _) => new double[l.FanOut]));
}
