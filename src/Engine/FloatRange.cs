using System.Globalization;

namespace BackpropService.Engine;

/// <summary>
/// Training runs in float32: a finite double beyond its range would silently become ±Infinity. Datasets and job
/// settings are checked with this one test and reported with this one message.
/// </summary>
public static class FloatRange
{
    public static bool TryConvert(double value, out float result)
    {
        result = (float)value;
        return double.IsFinite(value) && float.IsFinite(result);
    }

    public static bool Fits(double value) => TryConvert(value, out _);

    /// <summary>The message for a value that does not fit, e.g. "1E+308 is outside the float32 range."</summary>
    public static string Outside(double value) => string.Create(CultureInfo.InvariantCulture, $"{value} is outside the float32 range.");
}
