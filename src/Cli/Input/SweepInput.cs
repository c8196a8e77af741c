using System.Text.Json;
using System.Text.Json.Nodes;
using BackpropService.Client;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Input;

/// <summary>
/// The sweep request <c>backprop sweep</c> sends: the <c>--file</c>'s JSON (if any) with the flags merged over it.
/// A flag wins over the file: each job setting replaces the base's member, an uploaded network or dataset replaces
/// the base's own (by id or inline), each <c>--vary</c> replaces that field's grid list, and <c>--name</c>,
/// <c>--metric</c>, <c>--max-concurrent</c> the top-level members. The rest of the file goes out as it is, so the
/// service checks it and names what is wrong (<c>grid.learningRat</c>, <c>base.epochs</c>).
/// </summary>
public static class SweepInput
{
    /// <param name="uploading">True when <c>--network</c> or <c>--data</c> will give the base its network or dataset (<see cref="UseUploaded"/>).</param>
    public static JsonObject Merge(JsonObject? file, JobRequest settings, IReadOnlyList<(string Field, JsonArray Values)> vary,
        string? name, string? metric, int? maxConcurrent, bool uploading)
    {
        var sweep = file ?? [];
        var hasBase = sweep["base"] is JsonObject;
        var baseRequest = Child(sweep, "base");
        foreach (var (member, value) in JsonSerializer.SerializeToNode(settings, BackpropJson.Options)!.AsObject().ToList())
            baseRequest[member] = value?.DeepClone();
        if (!hasBase && !uploading)
            throw new UsageException("A sweep needs a base job: --network, --data and --target (with train's settings), or --file with a \"base\".");

        if (vary.Count > 0)
        {
            var grid = Child(sweep, "grid");
            foreach (var (field, values) in vary) grid[field] = values;
        }
        if (name is not null) sweep["name"] = name;
        if (metric is not null) sweep["metric"] = metric;
        if (maxConcurrent is not null) sweep["maxConcurrent"] = maxConcurrent;
        return sweep;
    }

    /// <summary>An uploaded network or dataset replaces the base's, whether the file gave it by id or inline.</summary>
    public static void UseUploaded(JsonObject sweep, string? networkId, string? datasetId)
    {
        var baseRequest = Child(sweep, "base");
        Replace(baseRequest, "networkId", "network", networkId);
        Replace(baseRequest, "datasetId", "dataset", datasetId);
    }

    /// <summary>The object member <paramref name="name"/>, created when absent (anything else there is the service's to reject).</summary>
    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing) return existing;
        if (parent.ContainsKey(name)) throw new UsageException($"\"{name}\" in the sweep file must be a JSON object to add flags to it.");
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    private static void Replace(JsonObject baseRequest, string idMember, string inlineMember, string? id)
    {
        if (id is null) return;
        baseRequest.Remove(inlineMember);
        baseRequest[idMember] = id;
    }
}
