using System.CommandLine;
using BackpropService.Client;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Input;

/// <summary>
/// The job flags <c>train</c> and <c>sweep</c> share: the network file, the CSV and its targets, and the training
/// settings. <c>train</c> needs the files; a sweep may take its base from <c>--file</c> instead.
/// </summary>
public sealed class JobOptions
{
    public JobOptions(bool filesRequired)
    {
        Network = new("--network") { Description = "The network as JSON (layers or a graph), see docs/API.md", Required = filesRequired };
        Data = new("--data") { Description = "The training data as CSV with a header row", Required = filesRequired };
        Target = new("--target") { Description = "The target column (repeat for several)", Required = filesRequired };
    }

    public Option<string?> Network { get; }
    public Option<string?> Data { get; }
    public Option<string[]> Target { get; }
    public Option<int?> Epochs { get; } = new("--epochs") { Description = "Epochs to train" };
    public Option<double?> Rate { get; } = new("--lr") { Description = "Learning rate" };
    public Option<string?> Optimizer { get; } = new("--optimizer") { Description = "sgd, momentum or adam" };
    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Rows per update (default: the whole set)" };
    public Option<ulong?> Seed { get; } = new("--seed") { Description = "Seed: same seed, same data, same result" };
    public Option<double?> ValidationSplit { get; } = new("--validation-split") { Description = "Fraction of rows held out (0 to 0.5)" };
    public Option<string?> Schedule { get; } = new("--lr-schedule") { Description = $"How the rate changes per epoch: {LearningRateSchedules.Forms}" };
    public Option<int?> Warmup { get; } = new("--warmup-epochs") { Description = "Epochs of linear warm-up before the --lr-schedule" };
    public Option<double?> Clip { get; } = new("--clip-grad-norm") { Description = "Clip the global L2 norm of the gradients to this before each update" };
    public Option<int?> Patience { get; } = new("--early-stopping-patience") { Description = "Stop once the validation cost (else the cost) has not improved for this many epochs; the best epoch's weights are kept" };
    public Option<double?> MinDelta { get; } = new("--early-stopping-min-delta") { Description = "What counts as an improvement for --early-stopping-patience (default 0)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Network, Data, Target, Epochs, Rate, Optimizer, BatchSize, Seed, ValidationSplit, Schedule, Warmup, Clip, Patience, MinDelta })
            command.Options.Add(option);
    }

    /// <summary>The settings as a job request without network or dataset; option mistakes are found here, before anything is uploaded.</summary>
    public JobRequest Settings(ParseResult parse) => new()
    {
        Epochs = parse.GetValue(Epochs),
        LearningRate = parse.GetValue(Rate),
        Optimizer = parse.GetValue(Optimizer),
        BatchSize = parse.GetValue(BatchSize),
        Seed = parse.GetValue(Seed),
        ValidationSplit = parse.GetValue(ValidationSplit),
        LearningRateSchedule = LearningRateSchedules.Parse(parse.GetValue(Schedule), parse.GetValue(Warmup)),
        ClipGradNorm = parse.GetValue(Clip),
        EarlyStopping = EarlyStoppingFrom(parse.GetValue(Patience), parse.GetValue(MinDelta)),
    };

    /// <summary>The network file, read and checked as JSON; null when not given.</summary>
    public System.Text.Json.JsonElement? ReadNetwork(ParseResult parse) =>
        parse.GetValue(Network) is { } path ? InputFiles.ReadNetwork(path) : null;

    /// <summary>The CSV as text with its targets; null when not given. <c>--data</c> and <c>--target</c> come together.</summary>
    public (string Path, string Csv, string[] Targets)? ReadData(ParseResult parse)
    {
        var path = parse.GetValue(Data);
        var targets = parse.GetValue(Target) ?? [];
        if (path is null)
            return targets.Length == 0 ? null : throw new UsageException("--target needs --data (the CSV whose column it names).");
        if (targets.Length == 0) throw new UsageException("--data needs --target (the column to learn).");
        return (path, InputFiles.ReadCsv(path), targets);
    }

    /// <summary>A CSV the service rejects is the file's fault: one line naming the file and the service's row and column.</summary>
    public static async Task<Dataset> UploadAsync(BackpropClient client, (string Path, string Csv, string[] Targets) data, CancellationToken ct)
    {
        try
        {
            return await client.CreateDatasetFromCsvAsync(data.Csv, data.Targets, Path.GetFileName(data.Path), ct);
        }
        catch (BackpropApiException error) when (error.Status == 400)
        {
            var fields = error.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"));
            throw new UsageException($"{data.Path}: {string.Join("; ", fields.Prepend(error.Detail).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct())}");
        }
    }

    private static EarlyStopping? EarlyStoppingFrom(int? patience, double? minDelta) => (patience, minDelta) switch
    {
        (null, null) => null,
        (null, _) => throw new UsageException("--early-stopping-min-delta needs --early-stopping-patience."),
        _ => new EarlyStopping { Patience = patience, MinDelta = minDelta },
    };
}
