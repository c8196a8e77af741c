using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace BackpropService.Api.Tests.Fuzz;

/// <summary>
/// Generators of JSON text, valid and not: values of every type and awkward edge (huge, tiny, -0, 1e309, NaN,
/// quoted numbers, control characters, deep nesting), member names the API knows and ones it does not, and
/// mutations of a valid request (a member replaced, removed, duplicated or quoted; the text cut or corrupted).
/// </summary>
public static class JsonGen
{
    public static readonly string[] KnownNames =
    [
        "name", "inputs", "layers", "units", "activation", "loss", "init", "weights", "bias", "graph", "nodes", "id", "op",
        "shape", "value", "exponent", "output", "features", "targets", "labels", "networkId", "datasetId", "network",
        "dataset", "epochs", "learningRate", "optimizer", "momentum", "beta1", "beta2", "epsilon", "batchSize", "seed",
        "validationSplit", "weightDecay", "targetCost", "shuffle", "learning_rate", "Epochs", "", "$type", "__proto__",
    ];

    private static readonly string[] Awkward =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "2", "0.5", "1e309", "-1e309", "1e-400", "4294967296",
        "9223372036854775808", "-2147483649", "1E+2", "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"",
        "\"-Infinity\"", "\"100\"", "\"1e3\"", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"sigmoid\"", "\"relu\"",
        "\"adam\"", "\"mse\"", "\"input\"", "\"matmul\"", "\"x\"", "[]", "{}", "[[]]", "[[0,1]]", "[1,2,3]", "[[1],[2]]",
        "\"" + new string('a', 5000) + "\"", "01", "1.", ".5", "+1", "0x10", "'x'", "\"\\x\"", "tru", "nul",
    ];

    public static readonly Gen<string> Scalar = Gen.Frequency(
        (6, Gen.OneOf(Awkward)),
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e309")),
        (2, Gen.String.Select(s => JsonSerializer.Serialize(s))));

    public static readonly Gen<string> Name = Gen.Frequency((4, Gen.OneOf(KnownNames)), (1, Gen.String));

    /// <summary>Any JSON value text (and some invalid tokens), nested up to <paramref name="depth"/>.</summary>
    public static Gen<string> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (5, Scalar),
            (2, Value(depth - 1).List[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(Name, Value(depth - 1)).List[0, 4]
                .Select(members => "{" + string.Join(",", members.Select(m => JsonSerializer.Serialize(m.Item1) + ":" + m.Item2)) + "}")));

    /// <summary>One change to a valid request: what to do, where (a seed for the path) and the new value.</summary>
    public static readonly Gen<Mutation> Mutation = Gen.Select(Gen.Int[0, 9], Gen.Int, Value(2), Name,
        (kind, where, value, name) => new Mutation(kind, where, value, name));

    public static string Nested(int depth) => new string('[', depth) + new string(']', depth);
}

/// <summary>A change to a JSON document; <see cref="Apply"/> makes the new text (possibly invalid JSON on purpose).</summary>
public sealed record Mutation(int Kind, int Where, string Value, string Name)
{
    private const string Hole = "\u0001HOLE\u0001";

    public string Apply(string json)
    {
        var random = new Random(Where);
        switch (Kind)
        {
            case 0: // cut the text short
                return json[..random.Next(json.Length)];
            case 1: // corrupt one character
                var at = random.Next(json.Length);
                return json[..at] + "\",}]{[:\\0"[random.Next(9)] + json[(at + 1)..];
            case 2: // nest deeper than any limit
                return JsonGen.Nested(random.Next(60, 2000));
        }
        var root = JsonNode.Parse(json)!;
        var (parent, key) = Pick(root, random);
        switch (Kind)
        {
            case 3 or 4 or 5: // replace a value with anything
                Set(parent, key, JsonValue.Create(Hole));
                return root.ToJsonString().Replace(JsonSerializer.Serialize(Hole), Value, StringComparison.Ordinal);
            case 6: // remove a member or element
                if (parent is JsonObject o && key is string k) o.Remove(k);
                else if (parent is JsonArray a && key is int i) a.RemoveAt(i);
                return root.ToJsonString();
            case 7: // quote a number (or stringify whatever is there)
                var current = Get(parent, key);
                Set(parent, key, JsonValue.Create(current?.ToJsonString() ?? "null"));
                return root.ToJsonString();
            case 8: // add a member, known name or not, possibly a duplicate
                var target = parent as JsonObject ?? root as JsonObject;
                if (target is null) return root.ToJsonString();
                var text = target.ToJsonString();
                var extra = JsonSerializer.Serialize(Name) + ":" + Value + (text.Length > 2 ? "," : "");
                return root.ToJsonString().Replace(text, "{" + extra + text[1..], StringComparison.Ordinal);
            default: // duplicate an existing member
                if (parent is JsonObject obj && key is string name)
                {
                    var whole = obj.ToJsonString();
                    var member = JsonSerializer.Serialize(name) + ":" + (obj[name]?.ToJsonString() ?? "null");
                    return root.ToJsonString().Replace(whole, "{" + member + "," + whole[1..], StringComparison.Ordinal);
                }
                return root.ToJsonString();
        }
    }

    /// <summary>A random member or element somewhere in the document, as (its container, its name or index).</summary>
    private static (JsonNode? Parent, object? Key) Pick(JsonNode root, Random random)
    {
        JsonNode? parent = null;
        object? key = null;
        var node = root;
        for (var depth = 0; depth < 6 && node is JsonObject or JsonArray; depth++)
        {
            if (node is JsonObject o && o.Count > 0)
            {
                var k = o.ElementAt(random.Next(o.Count)).Key;
                (parent, key, node) = (o, k, o[k]);
            }
            else if (node is JsonArray a && a.Count > 0)
            {
                var i = random.Next(a.Count);
                (parent, key, node) = (a, i, a[i]);
            }
            else break;
            if (random.Next(3) == 0) break;
        }
        return (parent, key);
    }

    private static JsonNode? Get(JsonNode? parent, object? key) => parent switch
    {
        JsonObject o when key is string k => o[k],
        JsonArray a when key is int i => a[i],
        _ => null,
    };

    private static void Set(JsonNode? parent, object? key, JsonNode? value)
    {
        if (parent is JsonObject o && key is string k) o[k] = value;
        else if (parent is JsonArray a && key is int i) a[i] = value;
    }

    public override string ToString() => $"mutation {Kind} at {Where} with {Name} = {(Value.Length > 80 ? Value[..80] + "…" : Value)}";
}
