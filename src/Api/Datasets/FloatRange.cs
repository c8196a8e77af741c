namespace BackpropService.Api.Datasets;

/// <summary>Datasets are stored and trained in float32: a finite double beyond its range would silently become ±Infinity.</summary>
public static class FloatRange
{
    public static bool TryConvert(double value, out float result)
    {
        result = (float)value;
        return double.IsFinite(value) && float.IsFinite(result);
    }
}
