using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Client.Models;

namespace BackpropService.Client.Http;

/// <summary>
/// The body of <c>PATCH /api/jobs/{id}</c> (RFC 7396): only the members that are set, a reset one as an explicit
/// null. (The client's JSON options leave nulls out, which is right for requests but would turn a reset into "unchanged".)
/// </summary>
internal static class MergePatch
{
    public const string MediaType = "application/merge-patch+json";

    public static ByteArrayContent Body(JobUpdate update)
    {
        var body = new JsonObject();
        if (update.Name.IsSet) body["name"] = update.Name.Value;
        if (update.Notes.IsSet) body["notes"] = update.Notes.Value;
        if (update.Tags.IsSet) body["tags"] = update.Tags.Value is { } tags ? new JsonArray(tags.Select(t => (JsonNode?)t).ToArray()) : null;
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaType) { CharSet = "utf-8" };
        return content;
    }
}
