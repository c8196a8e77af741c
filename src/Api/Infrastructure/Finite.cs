namespace BackpropService.Api.Infrastructure;

/// <summary>JSON cannot carry NaN or ±Infinity; outputs that may hold them (a diverged cost, its weights) carry null instead.</summary>
public static class Finite
{
    public static double? OrNull(double value) => double.IsFinite(value) ? value : null;

    public static double? OrNull(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    public static double?[] OrNull(IReadOnlyList<double> values)
    {
        var result = new double?[values.Count];
        for (var i = 0; i < result.Length; i++) result[i] = OrNull(values[i]);
        return result;
    }
}
