using System.Reflection;
using System.Text.Json;
using BackpropService.Api.Jobs;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// The job fields a sweep may vary: every member of <see cref="CreateJobRequest"/> by its wire name, but the inline
/// network and dataset (vary <c>networkId</c> / <c>datasetId</c> instead) and <c>initialWeights</c> (warm starts are
/// not offered in sweeps). Numeric fields may also be drawn from ranges.
/// </summary>
public static class SweepFields
{
    /// <summary>A field: its wire name, its request member and the <see cref="Engine.TrainingSettings"/> member of the same name (none for networkId, datasetId).</summary>
    public sealed record Field(string Name, PropertyInfo Property, PropertyInfo? Setting)
    {
        private Type ValueType => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

        /// <summary>A number field: uniform and logUniform ranges may be drawn for it.</summary>
        public bool IsNumber => IsInteger || ValueType == typeof(double);

        /// <summary>A whole-number field: drawn values are rounded.</summary>
        public bool IsInteger => ValueType == typeof(int) || ValueType == typeof(ulong);

        /// <summary>A drawn number as this field's value (rounded for whole numbers), or null when it does not fit the type.</summary>
        public object? FromNumber(double value)
        {
            if (ValueType == typeof(double)) return value;
            var rounded = Math.Round(value, MidpointRounding.ToEven);
            if (ValueType == typeof(int)) return rounded is >= int.MinValue and <= int.MaxValue ? (int)rounded : null;
            return rounded is >= 0 and < 18446744073709551616.0 ? (ulong)rounded : null;
        }

        /// <summary>A listed JSON value as this field's value, read as the job endpoint reads it; null with the reason when it does not fit.</summary>
        public object? Read(JsonElement value, JsonSerializerOptions json, out string? error)
        {
            error = null;
            try
            {
                var read = value.Deserialize(Property.PropertyType, json);
                if (read is null) error = "must be a value, not null (leave the field out of the sweep to keep the base's).";
                return read;
            }
            catch (JsonException ex)
            {
                error = $"is not a valid value for {Name}: {ex.Message.Split(" Path:")[0]}";
                return null;
            }
        }
    }

    private static readonly Dictionary<string, Field> ByName = typeof(CreateJobRequest).GetProperties()
        .Where(p => p.Name is not (nameof(CreateJobRequest.Network) or nameof(CreateJobRequest.Dataset) or nameof(CreateJobRequest.InitialWeights)))
        .Select(p => new Field(JsonNamingPolicy.CamelCase.ConvertName(p.Name), p, typeof(Engine.TrainingSettings).GetProperty(p.Name)))
        .ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static Field? Named(string name) => ByName.GetValueOrDefault(name);

    public static string Known => string.Join(", ", ByName.Keys);
}
