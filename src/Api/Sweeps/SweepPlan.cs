using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// A sweep's grid and random space, checked, and expanded into its trials: each trial is the values it gives its
/// varied fields, each with the request path it came from (for error messages) and its value as the leaderboard shows it.
/// Grid points in cartesian order (the first field outermost, the last varying fastest); with random draws, every
/// grid point is combined with every draw, draws inner. The draws come from <see cref="SplitMix64"/> seeded with
/// <c>random.seed</c>, draw by draw, field by field in request order: the same request gives the same trials.
/// </summary>
public sealed class SweepPlan
{
    /// <summary>One varied field's value in one trial.</summary>
    public sealed record Varied(SweepFields.Field Field, object Value, object Shown, string Path);

    private sealed record Axis(SweepFields.Field Field, IReadOnlyList<Varied> Values);

    private sealed record Range(SweepFields.Field Field, string Path, double Low, double High, bool Log, IReadOnlyList<Varied>? Choices);

    private readonly List<Axis> _grid;
    private readonly List<Range> _space;
    private readonly int _draws;
    private readonly ulong _seed;

    private SweepPlan(List<Axis> grid, List<Range> space, int draws, ulong seed, int count) =>
        (_grid, _space, _draws, _seed, Count) = (grid, space, draws, seed, count);

    /// <summary>How many trials the sweep has (known, and checked against the limit, before any is made).</summary>
    public int Count { get; }

    /// <summary>The plan, or null with every problem recorded under its path (e.g. <c>grid.learningRate[2]</c>).</summary>
    public static SweepPlan? Read(CreateSweepRequest request, LimitsOptions limits, JsonSerializerOptions json, ValidationErrors errors)
    {
        if (request.Grid is null && request.Random is null)
            errors.Add("grid", "give grid, random or both: the fields to vary.");
        var grid = ReadGrid(request.Grid ?? [], json, errors);
        var (space, draws, seed) = request.Random is { } random ? ReadRandom(random, request.Grid ?? [], json, errors) : ([], 0, 0UL);
        if (errors.Any) return null;

        // Counted as a double first: a product of many lists overflows an int long before it is compared.
        var count = grid.Aggregate(1.0, (product, axis) => product * axis.Values.Count) * (request.Random is null ? 1 : draws);
        if (count > limits.MaxSweepTrials)
        {
            errors.Add(request.Random is null ? "grid" : "random.count",
                $"the sweep has {count:N0} trials, more than {limits.MaxSweepTrials:N0} (Limits:MaxSweepTrials); vary fewer values or draw fewer.");
            return null;
        }
        return new SweepPlan(grid, space, request.Random is null ? 0 : draws, seed, (int)count);
    }

    /// <summary>The trials in order, each as its varied fields' values.</summary>
    public IEnumerable<IReadOnlyList<Varied>> Trials()
    {
        var draws = Draws();
        var point = new int[_grid.Count];
        var points = _grid.Aggregate(1, (product, axis) => product * axis.Values.Count);
        for (var p = 0; p < points; p++)
        {
            var fixedPart = _grid.Select((axis, i) => axis.Values[point[i]]).ToArray();
            if (draws.Count == 0) yield return fixedPart;
            foreach (var draw in draws) yield return [.. fixedPart, .. draw];
            for (var i = _grid.Count - 1; i >= 0 && ++point[i] == _grid[i].Values.Count; i--) point[i] = 0;
        }
    }

    private List<Varied[]> Draws()
    {
        var rng = new SplitMix64(_seed);
        var draws = new List<Varied[]>(_draws);
        for (var d = 0; d < _draws; d++)
            draws.Add(_space.Select(range => Draw(range, rng.NextDouble())).ToArray());
        return draws;
    }

    private static Varied Draw(Range range, double u)
    {
        if (range.Choices is { } choices) return choices[Math.Min(choices.Count - 1, (int)(u * choices.Count))];
        var x = range.Log
            ? Math.Exp(Math.Log(range.Low) + (Math.Log(range.High) - Math.Log(range.Low)) * u)
            : range.Low + (range.High - range.Low) * u;
        var value = range.Field.FromNumber(Math.Clamp(x, range.Low, range.High))!;
        return new Varied(range.Field, value, value, range.Path);
    }

    private static List<Axis> ReadGrid(Dictionary<string, JsonElement[]> grid, JsonSerializerOptions json, ValidationErrors errors)
    {
        var axes = new List<Axis>();
        foreach (var (name, values) in grid)
        {
            var path = $"grid.{name}";
            if (Field(name, path, errors) is not { } field) continue;
            if (values.Length == 0) { errors.Add(path, "must list at least one value."); continue; }
            var read = ReadValues(field, values, path, json, errors);
            if (read is not null) axes.Add(new Axis(field, read));
        }
        return axes;
    }

    private static (List<Range>, int, ulong) ReadRandom(SweepRandomRequest random, Dictionary<string, JsonElement[]> grid, JsonSerializerOptions json, ValidationErrors errors)
    {
        if (random.Count is not { } count || count < 1)
            errors.Add("random.count", $"must be a whole number of draws, at least 1; got {random.Count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
        if (random.Space is null || random.Space.Count == 0)
            errors.Add("random.space", "must name at least one field to draw, e.g. { \"learningRate\": { \"logUniform\": [0.0001, 1] } }.");
        var ranges = new List<Range>();
        foreach (var (name, spec) in random.Space ?? [])
        {
            var path = $"random.space.{name}";
            if (Field(name, path, errors) is not { } field) continue;
            if (grid.ContainsKey(name)) { errors.Add(path, "is varied by grid too; vary each field in one place."); continue; }
            var given = (spec.Uniform is null ? 0 : 1) + (spec.LogUniform is null ? 0 : 1) + (spec.Choice is null ? 0 : 1);
            if (given != 1) { errors.Add(path, "give exactly one of uniform: [low, high], logUniform: [low, high] or choice: [values]."); continue; }
            if (spec.Choice is { } choice)
            {
                if (choice.Length == 0) { errors.Add(path + ".choice", "must list at least one value."); continue; }
                if (ReadValues(field, choice, path + ".choice", json, errors) is { } values)
                    ranges.Add(new Range(field, path, 0, 0, false, values));
                continue;
            }
            var log = spec.LogUniform is not null;
            var kind = log ? "logUniform" : "uniform";
            if (ReadBounds(field, spec.LogUniform ?? spec.Uniform!, log, $"{path}.{kind}", errors) is { } bounds)
                ranges.Add(new Range(field, path, bounds.Low, bounds.High, log, null));
        }
        return (ranges, random.Count ?? 0, random.Seed ?? 0);
    }

    private static (double Low, double High)? ReadBounds(SweepFields.Field field, double[] bounds, bool log, string path, ValidationErrors errors)
    {
        if (!field.IsNumber) { errors.Add(path, $"{field.Name} is not a number; draw it with choice: [values] instead."); return null; }
        if (bounds.Length != 2) { errors.Add(path, $"must be [low, high]; got {bounds.Length} numbers."); return null; }
        var (low, high) = (bounds[0], bounds[1]);
        if (!double.IsFinite(low) || !double.IsFinite(high)) errors.Add(path, "bounds must be finite numbers.");
        else if (log && low <= 0) errors.Add(path, $"bounds must be above 0 (a log-uniform draw takes their logarithm); got low = {low}.");
        else if (low > high) errors.Add(path, $"low must not exceed high; got [{low}, {high}] (reversed?).");
        else if (field.FromNumber(low) is null || field.FromNumber(high) is null) errors.Add(path, $"bounds do not fit {field.Name}'s whole numbers; got [{low}, {high}].");
        else return (low, high);
        return null;
    }

    private static List<Varied>? ReadValues(SweepFields.Field field, JsonElement[] values, string path, JsonSerializerOptions json, ValidationErrors errors)
    {
        var read = new List<Varied>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var value = field.Read(values[i], json, out var error);
            if (error is not null) errors.Add($"{path}[{i}]", error);
            else read.Add(new Varied(field, value!, values[i], $"{path}[{i}]"));
        }
        return read.Count == values.Length ? read : null;
    }

    private static SweepFields.Field? Field(string name, string path, ValidationErrors errors)
    {
        if (SweepFields.Named(name) is { } field) return field;
        errors.Add(path, name is "network" or "dataset"
            ? $"an inline {name} cannot be varied; create them and vary {name}Id."
            : $"is not a job field; one of: {SweepFields.Known}.");
        return null;
    }
}
