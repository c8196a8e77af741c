using System.Text.Json;
using System.Text.Json.Serialization;
using BackpropService.Api.Jobs;

namespace BackpropService.Api.Training.Protocols;

/// <summary>
/// Writes a history point of an <c>epochs</c> message exactly as the default serialiser would
/// (<c>{"epoch":1,"cost":0.71,"validationCost":null,"accuracy":0.75,"validationAccuracy":null}</c>), with its property names encoded once. A fast job streams
/// a million points a second and this is the stream's inner loop; the generic path costs about twice as much.
/// </summary>
/// <remarks>Registered for the hub's payloads only; HTTP responses and the OpenAPI schema keep the default contract.</remarks>
public sealed class HistoryPointJsonConverter : JsonConverter<HistoryPoint>
{
    private static readonly JsonEncodedText Epoch = JsonEncodedText.Encode("epoch");
    private static readonly JsonEncodedText Cost = JsonEncodedText.Encode("cost");
    private static readonly JsonEncodedText ValidationCost = JsonEncodedText.Encode("validationCost");
    private static readonly JsonEncodedText Accuracy = JsonEncodedText.Encode("accuracy");
    private static readonly JsonEncodedText ValidationAccuracy = JsonEncodedText.Encode("validationAccuracy");
    private static readonly JsonEncodedText GradientNorms = JsonEncodedText.Encode("gradientNorms");

    public override HistoryPoint Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("History points are only sent by the server.");

    public override void Write(Utf8JsonWriter writer, HistoryPoint value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(Epoch, value.Epoch);
        WriteNullable(writer, Cost, value.Cost);
        WriteNullable(writer, ValidationCost, value.ValidationCost);
        WriteNullable(writer, Accuracy, value.Accuracy);
        WriteNullable(writer, ValidationAccuracy, value.ValidationAccuracy);
        if (value.GradientNorms is { } norms)
        {
            writer.WriteStartObject(GradientNorms);
            foreach (var (name, norm) in norms) WriteNullable(writer, name, norm);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, double? value)
    {
        if (value is { } v) writer.WriteNumber(name, v);
        else writer.WriteNull(name);
    }
}
