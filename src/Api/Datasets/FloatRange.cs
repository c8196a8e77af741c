using System.Globalization;

namespace BackpropService.Api.Datasets;

/// <summary>
/// Datasets, weights and inputs are stored and trained in float32: a finite double beyond its range would silently
/// become ±Infinity, so every number that becomes float32 is checked where it enters, with one message.
/// </summary>
public static class FloatRange
{
    public static bool TryConvert(double value, out float result)
    {
        result = (float)value;
        return double.IsFinite(value) && float.IsFinite(result);
    }

    public static bool Fits(double value) => TryConvert(value, out _);

    /// <summary>The message every float32 check gives, e.g. "1E+39 is outside the float32 range."</summary>
    public static string Message(double value) => $"{value.ToString(CultureInfo.InvariantCulture)} is outside the float32 range.";
}
