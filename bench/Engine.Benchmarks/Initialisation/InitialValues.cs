using BackpropService.Engine.Graphs;
using BackpropService.Engine.Training;

namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>
/// A candidate's starting parameters for a layered network and seed, drawn from <c>new Rng(seed)</c> in the engine's
/// parameter order. They reach the engine as a warm start, which draws today's default first and then overwrites it,
/// so the validation split and shuffles come from the generator as today's default leaves it: identical for the
/// baseline candidate (checked by <see cref="XorSurvey"/>), and the same in distribution for the others.
/// </summary>
internal static class InitialValues
{
    public static IReadOnlyList<NamedTensor> Draw(InitCandidate candidate, LayeredNetworkDefinition network, ulong seed)
    {
        var rng = new Rng(seed);
        var values = new List<NamedTensor>();
        var fanIn = network.Inputs;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            var shape = new LayerShape(fanIn, layer.Units, layer.Activation, i == network.Layers.Count - 1);
            var weights = layer.Init is { } named ? Named(named, shape, rng) : candidate.Weights(shape, rng);
            values.Add(new NamedTensor($"layers.{i}.weights", new TensorData([fanIn, layer.Units], weights)));
            values.Add(new NamedTensor($"layers.{i}.bias", new TensorData([layer.Units], candidate.Bias(shape, rng))));
            fanIn = layer.Units;
        }
        return values;
    }

    /// <summary>A layer that names its init keeps it (the engine's formulas, src/Engine/Training/ParameterInitializer.cs).</summary>
    private static double[] Named(string init, LayerShape l, Rng rng) => init switch
    {
        "xavier" => Draws.Uniform(rng, l.FanIn * l.FanOut, Math.Sqrt(6.0 / (l.FanIn + l.FanOut))),
        "he" => Draws.Uniform(rng, l.FanIn * l.FanOut, Math.Sqrt(6.0 / l.FanIn)),
        "uniform" => Draws.Uniform(rng, l.FanIn * l.FanOut, 1.0 / Math.Sqrt(l.FanIn)),
        "zeros" => new double[l.FanIn * l.FanOut],
        _ => throw new ArgumentException($"Unknown init '{init}'."),
    };
}
