using System.Buffers;
using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Jobs;
using BackpropService.Api.Limits;
using BackpropService.Engine;
using BackpropService.Persistence;
using BackpropService.Persistence.Entities;

namespace BackpropService.Api.Sweeps;

/// <summary>
/// A sweep request → the sweep and its trial jobs, not yet saved, or null with the problems under their request paths.
/// Each trial is the base job request with its varied fields set, checked exactly as <c>POST /api/jobs</c> checks a
/// job (<see cref="JobSettingsBinder"/>, <see cref="JobFactory"/>); a trial's problem is reported at the path of the
/// value that caused it (<c>grid.learningRate[2]</c>, <c>random.space.batchSize</c>) or else under <c>base.</c>.
/// Inline base networks and datasets are added to the context once, whatever the trial count.
/// </summary>
public static class SweepFactory
{
    // A sweep whose values are wrong would repeat the same few problems in thousands of trials; the first are enough.
    private const int MaxErrors = 20;

    public sealed record Built(Sweep Sweep, IReadOnlyList<TrainingJob> Trials);

    public static async Task<Built?> BuildAsync(CreateSweepRequest request, BackpropDbContext db, LimitsOptions limits, JsonSerializerOptions json,
        DateTime now, ValidationErrors errors, CancellationToken ct)
    {
        SafeText.Check(request.Name, "name", limits.MaxNameLength, nameof(limits.MaxNameLength), errors);
        if (request.MaxConcurrent is < 1)
            errors.Add("maxConcurrent", $"must be at least 1 (or left out for no bound); got {request.MaxConcurrent}.");
        if (request.Base is null)
            errors.Add("base", "is required: the job request every trial starts from (every field of POST /api/jobs).");
        else if (request.Base.InitialWeights is not null)
            errors.Add("base.initialWeights", "warm starts are not available in a sweep: start the trials from their initialisers, or post warm-started jobs one by one.");
        var metric = request.Metric is null
            ? SweepMetric.Named(request.Base?.ValidationSplit > 0 ? "validationCost" : "cost")!
            : SweepMetric.Named(request.Metric);
        if (metric is null)
            errors.Add("metric", $"must be one of {string.Join(", ", SweepMetric.All.Select(m => m.Name))}; got '{request.Metric}'.");
        var plan = SweepPlan.Read(request, limits, json, errors);
        if (errors.Any || plan is null || metric is null) return null;

        var baseRequest = await InlinePartsAsync(request.Base!, db, limits, errors, ct);
        if (baseRequest is null) return null;
        // Bound once (a base without a seed draws one here, shared by every trial that does not vary it: the same
        // initial weights for all); each trial sets its varied members on a copy and is checked as a job would be.
        var baseSettings = JobSettingsBinder.ToSettings(baseRequest);

        var sweep = new Sweep
        {
            Id = Guid.CreateVersion7().ToString(),
            Name = request.Name ?? "sweep",
            Metric = metric.Name,
            MaxConcurrent = request.MaxConcurrent,
            CreatedAt = now,
        };
        // The claim and the leaderboard order trials by (createdAt, id): one time and ascending ids keep the sweep's order.
        var ids = Enumerable.Range(0, plan.Count).Select(_ => Guid.CreateVersion7().ToString()).Order(StringComparer.Ordinal).ToArray();
        var parts = new Dictionary<(string?, string?), (JobParts? Parts, ValidationErrors Errors)>();
        var trials = new List<TrainingJob>(plan.Count);
        var index = 0;
        foreach (var varied in plan.Trials())
        {
            var (trial, trialSettings) = Apply(baseRequest, baseSettings, varied);
            var trialErrors = new ValidationErrors();
            var settings = JobSettingsBinder.Check(trial, trialSettings, limits, trialErrors);
            var key = (trial.NetworkId, trial.DatasetId);
            if (!parts.TryGetValue(key, out var resolved))
            {
                var partErrors = new ValidationErrors();
                parts[key] = resolved = (await JobFactory.ResolveAsync(trial, db, cache: null, limits, partErrors, ct), partErrors);
            }
            trialErrors.AddAll(resolved.Errors);
            if (settings is not null) CheckMetric(metric, settings, trialErrors);
            var job = settings is null || resolved.Parts is null || trialErrors.Any ? null
                : JobFactory.Build(settings, resolved.Parts, limits, trialErrors, new TrialOf(sweep.Id, ids[index], now, Params(varied)));
            if (job is null)
            {
                Report(trialErrors, varied, errors);
                if (errors.Count >= MaxErrors) break;
            }
            else trials.Add(job);
            index++;
        }
        return errors.Any ? null : new Built(sweep, trials);
    }

    /// <summary>The trial value is early stopping's best metric when a trial stops early, so the two must rank by the same metric.</summary>
    private static void CheckMetric(SweepMetric metric, TrainingSettings settings, ValidationErrors errors)
    {
        if (metric.NeedsValidationRows && settings.ValidationSplit <= 0)
            errors.Add("metric", $"is {metric.Name}, but this trial holds no rows out (validationSplit 0): set validationSplit or rank by {metric.Name["validation".Length..].ToLowerInvariant()}.");
        if (metric.IsEarlyStoppingMetric && settings.EarlyStopping is { } early && (early.Metric ?? (settings.ValidationSplit > 0 ? "validationCost" : "cost")) is var stopsOn && stopsOn != metric.Name)
            errors.Add("metric", $"is {metric.Name}, but early stopping watches {stopsOn}: a trial's value is early stopping's best metric, so give both the same metric.");
    }

    /// <summary>The base with its inline network and dataset (if any) added to the context once and referred to by id.</summary>
    private static async Task<CreateJobRequest?> InlinePartsAsync(CreateJobRequest request, BackpropDbContext db, LimitsOptions limits, ValidationErrors errors, CancellationToken ct)
    {
        var baseErrors = new ValidationErrors();
        if (request.Network is not null && request.NetworkId is null &&
            await JobFactory.ResolveNetworkAsync(request, db, cache: null, limits, baseErrors, ct) is ({ } network, _))
            request = request with { Network = null, NetworkId = network.Id };
        if (request.Dataset is not null && request.DatasetId is null &&
            await JobFactory.ResolveDatasetAsync(request, db, cache: null, limits, baseErrors, ct) is { } dataset)
            request = request with { Dataset = null, DatasetId = dataset.Id };
        foreach (var (field, messages) in baseErrors.ToDictionary())
            foreach (var message in messages) errors.Add("base." + field, message);
        return baseErrors.Any ? null : request;
    }

    private static (CreateJobRequest, TrainingSettings) Apply(CreateJobRequest baseRequest, TrainingSettings baseSettings, IReadOnlyList<SweepPlan.Varied> varied)
    {
        var trial = baseRequest with { };
        var settings = baseSettings with { };
        foreach (var v in varied)
        {
            v.Field.Property.SetValue(trial, v.Value);
            v.Field.Setting?.SetValue(settings, v.Value);
        }
        return (trial, settings);
    }

    /// <summary>A trial's problems under the path of the varied value behind each (with what follows the field), else under base.</summary>
    private static void Report(ValidationErrors trialErrors, IReadOnlyList<SweepPlan.Varied> varied, ValidationErrors errors)
    {
        foreach (var (field, messages) in trialErrors.ToDictionary())
        {
            var end = field.IndexOfAny(['.', '[']);
            var root = end < 0 ? field : field[..end];
            var source = varied.FirstOrDefault(v => v.Field.Name == root);
            var path = field == "metric" ? "metric" : source is null ? "base." + field : source.Path + (end < 0 ? "" : field[end..]);
            if (!errors.Has(path)) errors.Add(path, messages[0]);
        }
    }

    private static string Params(IReadOnlyList<SweepPlan.Varied> varied)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var v in varied)
            {
                writer.WritePropertyName(v.Field.Name);
                switch (v.Shown)
                {
                    case JsonElement element: element.WriteTo(writer); break;
                    case double d: writer.WriteNumberValue(d); break;
                    case int i: writer.WriteNumberValue(i); break;
                    case ulong u: writer.WriteNumberValue(u); break;
                    default: throw new InvalidOperationException($"No JSON form for {v.Shown.GetType().Name}.");
                }
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
