using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Engine;

namespace BackpropService.Api.Infrastructure;

/// <summary>Tensors as JSON: a number (scalar), an array (vector) or an array of equal-length rows (matrix).</summary>
public static class TensorJson
{
    /// <summary>
    /// Reads a tensor; on failure records a message under <paramref name="path"/> and returns null. With
    /// <paramref name="float32"/> (values that will be trained in float32) numbers beyond its range are rejected.
    /// </summary>
    public static TensorData? Read(JsonElement element, string path, ValidationErrors errors, bool float32 = false)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return Number(element, path, errors, float32) is { } x ? TensorData.Scalar(x) : null;
            case JsonValueKind.Array when element.GetArrayLength() == 0:
                errors.Add(path, "must not be an empty array.");
                return null;
            case JsonValueKind.Array when element[0].ValueKind == JsonValueKind.Array:
                return Matrix(element, path, errors, float32);
            case JsonValueKind.Array:
                var values = new double[element.GetArrayLength()];
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Number(item, $"{path}[{i}]", errors, float32) is not { } v) return null;
                    values[i++] = v;
                }
                return new TensorData([values.Length], values);
            default:
                errors.Add(path, "must be a number, an array of numbers or an array of rows of numbers.");
                return null;
        }
    }

    private static TensorData? Matrix(JsonElement element, string path, ValidationErrors errors, bool float32)
    {
        var rows = element.GetArrayLength();
        var cols = element[0].ValueKind == JsonValueKind.Array ? element[0].GetArrayLength() : 0;
        if (cols == 0)
        {
            errors.Add($"{path}[0]", "must be a non-empty array of numbers.");
            return null;
        }
        var values = new double[(long)rows * cols];
        var r = 0;
        foreach (var row in element.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != cols)
            {
                errors.Add($"{path}[{r}]", $"every row must be an array of {cols} numbers (rows must not be ragged).");
                return null;
            }
            var c = 0;
            foreach (var item in row.EnumerateArray())
            {
                if (Number(item, $"{path}[{r}][{c}]", errors, float32) is not { } v) return null;
                values[r * cols + c++] = v;
            }
            r++;
        }
        return new TensorData([rows, cols], values);
    }

    private static double? Number(JsonElement element, string path, ValidationErrors errors, bool float32)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            errors.Add(path, $"must be a number; got {element.ValueKind.ToString().ToLowerInvariant()}.");
            return null;
        }
        if (element.TryGetDouble(out var value) && double.IsFinite(value))
        {
            if (!float32 || BackpropService.Engine.FloatRange.Fits(value)) return value;
            errors.Add(path, BackpropService.Engine.FloatRange.Outside(value));
            return null;
        }
        errors.Add(path, "must be a finite number within the range of a double.");
        return null;
    }

    /// <summary>Writes a tensor in the same shape it would be read; non-finite values become null (JSON has no NaN).</summary>
    public static JsonNode? Write(TensorData tensor)
    {
        var dims = tensor.Dimensions;
        if (dims.Length == 0)
            return Value(tensor.Values.Length > 0 ? tensor.Values[0] : double.NaN);
        if (dims.Length == 1)
            return new JsonArray(tensor.Values.Select(Value).ToArray());
        var cols = dims[1];
        var rows = new JsonNode?[dims[0]];
        for (var r = 0; r < rows.Length; r++)
            rows[r] = new JsonArray(tensor.Values.Skip(r * cols).Take(cols).Select(Value).ToArray());
        return new JsonArray(rows);
    }

    private static JsonNode? Value(double x) => double.IsFinite(x) ? JsonValue.Create(x) : null;
}
