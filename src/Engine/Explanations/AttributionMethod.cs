namespace BackpropService.Engine;

/// <summary>How an output is attributed to the inputs (see <see cref="Explainer"/>).</summary>
public enum AttributionMethod
{
    /// <summary>d output / d input: the chain rule taken to the inputs.</summary>
    Gradient,

    /// <summary>The gradient times the input, element by element.</summary>
    GradientXInput,

    /// <summary>
    /// Sundararajan et al. 2017: (input − baseline) times the mean gradient on the straight path from the baseline to the
    /// input, by the trapezoidal rule; the attributions add up to output(input) − output(baseline) up to its error.
    /// </summary>
    IntegratedGradients,
}
