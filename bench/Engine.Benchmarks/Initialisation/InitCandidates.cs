using BackpropService.Engine.Training;

namespace BackpropService.Engine.Benchmarks.Initialisation;

/// <summary>
/// The defaults the survey compares, each a published rule (docs/initialisation.md has the table). Relu and
/// leaky_relu layers keep He et al. 2015's U(±√(6/fanIn)) in every candidate, as the engine does; the presets that use
/// relu name their init anyway. fanIn is the layer's inputs, fanOut its units.
/// </summary>
internal static class InitCandidates
{
    /// <summary>The engine's default today (src/Engine/Training/ParameterInitializer.cs, the ops' DefaultInit).</summary>
    public static InitCandidate Today { get; } = new("glorot-uniform, zero bias (today)",
        "Glorot & Bengio 2010, eq. 16: U(±√(6/(fanIn+fanOut)))",
        Weights((l, rng) => Draws.Uniform(rng, Count(l), GlorotLimit(l))), ZeroBias);

    public static IReadOnlyList<InitCandidate> All { get; } =
    [
        Today,
        new("glorot-normal, zero bias",
            "Glorot & Bengio 2010 (variance 2/(fanIn+fanOut)); PyTorch xavier_normal_",
            Weights((l, rng) => Draws.Normal(rng, Count(l), Math.Sqrt(2.0 / (l.FanIn + l.FanOut)))), ZeroBias),
        new("lecun-uniform, zero bias",
            "LeCun, Bottou, Orr & Müller 1998, Efficient BackProp §4.6 (σ = 1/√fanIn): U(±√(3/fanIn))",
            Weights((l, rng) => Draws.Uniform(rng, Count(l), Math.Sqrt(3.0 / l.FanIn))), ZeroBias),
        new("lecun-normal, zero bias",
            "LeCun et al. 1998 §4.6: N(0, 1/fanIn)",
            Weights((l, rng) => Draws.Normal(rng, Count(l), Math.Sqrt(1.0 / l.FanIn))), ZeroBias),
        new("lecun-uniform, fan-in bias",
            "LeCun et al. 1998 weights; bias U(±1/√fanIn) as PyTorch's nn.Linear",
            Weights((l, rng) => Draws.Uniform(rng, Count(l), Math.Sqrt(3.0 / l.FanIn))), FanInBias),
        new("pytorch nn.Linear (weights and bias)",
            "PyTorch nn.Linear.reset_parameters: kaiming_uniform_(a=√5) (He et al. 2015 with gain √(1/3)) ⇒ U(±1/√fanIn); bias U(±1/√fanIn)",
            Weights((l, rng) => Draws.Uniform(rng, Count(l), 1.0 / Math.Sqrt(l.FanIn))), FanInBias),
        new("pytorch weights, zero bias",
            "as above, biases zero (the engine's 'uniform' init)",
            Weights((l, rng) => Draws.Uniform(rng, Count(l), 1.0 / Math.Sqrt(l.FanIn))), ZeroBias),
        new("glorot-uniform ×4 for sigmoid, zero bias",
            "Bengio 2012, Practical Recommendations / the Theano MLP tutorial: 4× Glorot for sigmoid units (σ'(0) = ¼)",
            Weights((l, rng) => Draws.Uniform(rng, Count(l), (l.Activation == "sigmoid" ? 4 : 1) * GlorotLimit(l))), ZeroBias),
        new("glorot-uniform × calculate_gain, zero bias",
            "PyTorch nn.init.calculate_gain: sigmoid 1, tanh 5/3, linear 1 (Glorot's uniform times the gain)",
            Weights((l, rng) => Draws.Uniform(rng, Count(l), (l.Activation == "tanh" ? 5.0 / 3 : 1) * GlorotLimit(l))), ZeroBias),
        new("orthogonal, zero bias",
            "Saxe, McClelland & Ganguli 2014 (ICLR), gain 1; PyTorch orthogonal_",
            Weights((l, rng) => Draws.Orthogonal(rng, l.FanIn, l.FanOut, 1.0)), ZeroBias),
        new("nguyen-widrow",
            "Nguyen & Widrow 1990 (IJCNN): hidden unit weight vectors U(±½) scaled to norm β = 0.7·H^(1/n), bias U(±β); last layer U(±½)",
            Weights(NguyenWidrowWeights), NguyenWidrowBias),
    ];

    private static int Count(LayerShape l) => l.FanIn * l.FanOut;

    private static double GlorotLimit(LayerShape l) => Math.Sqrt(6.0 / (l.FanIn + l.FanOut));

    /// <summary>The candidate's rule, except He et al. 2015 for relu layers (what every candidate keeps).</summary>
    private static Func<LayerShape, Rng, double[]> Weights(Func<LayerShape, Rng, double[]> rule) => (l, rng) =>
        l.Activation is "relu" or "leaky_relu" ? Draws.Uniform(rng, Count(l), Math.Sqrt(6.0 / l.FanIn)) : rule(l, rng);

    private static double[] ZeroBias(LayerShape l, Rng rng) => new double[l.FanOut];

    private static double[] FanInBias(LayerShape l, Rng rng) => Draws.Uniform(rng, l.FanOut, 1.0 / Math.Sqrt(l.FanIn));

    private static double NguyenWidrowBeta(LayerShape l) => 0.7 * Math.Pow(l.FanOut, 1.0 / l.FanIn);

    private static double[] NguyenWidrowWeights(LayerShape l, Rng rng)
    {
        var w = Draws.Uniform(rng, Count(l), 0.5);
        if (l.IsLast) return w;
        var beta = NguyenWidrowBeta(l);
        for (var unit = 0; unit < l.FanOut; unit++)
        {
            var norm = Math.Sqrt(Enumerable.Range(0, l.FanIn).Sum(i => w[i * l.FanOut + unit] * w[i * l.FanOut + unit]));
            for (var i = 0; i < l.FanIn; i++) w[i * l.FanOut + unit] *= beta / norm;
        }
        return w;
    }

    private static double[] NguyenWidrowBias(LayerShape l, Rng rng) =>
        Draws.Uniform(rng, l.FanOut, l.IsLast ? 0.5 : NguyenWidrowBeta(l));
}
