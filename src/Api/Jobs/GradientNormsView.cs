using BackpropService.Api.Infrastructure;

namespace BackpropService.Api.Jobs;

/// <summary>Gradient norms by parameter name, as history points carry them (<c>"gradientNorms": { "layers.0.weights": 0.012 }</c>).</summary>
public static class GradientNormsView
{
    /// <summary>Null when the epoch has no norms; a non-finite norm is null, as every non-finite number on the wire.</summary>
    public static IReadOnlyDictionary<string, double?>? Of(IReadOnlyList<string>? names, double[]? values)
    {
        if (names is null || values is null) return null;
        var norms = new Dictionary<string, double?>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++) norms[names[i]] = Finite.OrNull(values[i]);
        return norms;
    }
}
