using System.CommandLine;
using BackpropService.Cli.Input;
using BackpropService.Cli.Output;
using BackpropService.Client;
using BackpropService.Client.Models;
using Spectre.Console;

namespace BackpropService.Cli.Commands;

/// <summary><c>backprop train</c>: uploads a network file and a CSV, submits a job and follows it to the end.</summary>
public static class TrainCommand
{
    public static Command Create(CommandRunner runner)
    {
        var network = new Option<string>("--network") { Description = "The network as JSON (layers or a graph), see docs/API.md", Required = true };
        var data = new Option<string>("--data") { Description = "The training data as CSV with a header row", Required = true };
        var target = new Option<string[]>("--target") { Description = "The target column (repeat for several)", Required = true };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs to train" };
        var rate = new Option<double?>("--lr") { Description = "Learning rate" };
        var optimizer = new Option<string?>("--optimizer") { Description = "sgd, momentum or adam" };
        var batchSize = new Option<int?>("--batch-size") { Description = "Rows per update (default: the whole set)" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed: same seed, same data, same result" };
        var validationSplit = new Option<double?>("--validation-split") { Description = "Fraction of rows held out (0 to 0.5)" };
        var schedule = new Option<string?>("--lr-schedule") { Description = $"How the rate changes per epoch: {LearningRateSchedules.Forms}" };
        var warmup = new Option<int?>("--warmup-epochs") { Description = "Epochs of linear warm-up before the --lr-schedule" };
        var clip = new Option<double?>("--clip-grad-norm") { Description = "Clip the global L2 norm of the gradients to this before each update" };
        var patience = new Option<int?>("--early-stopping-patience") { Description = "Stop once the validation cost (else the cost) has not improved for this many epochs; the best epoch's weights are kept" };
        var minDelta = new Option<double?>("--early-stopping-min-delta") { Description = "What counts as an improvement for --early-stopping-patience (default 0)" };

        var command = new Command("train", "Train a network on a CSV file and show its progress live");
        foreach (var option in new Option[] { network, data, target, epochs, rate, optimizer, batchSize, seed, validationSplit, schedule, warmup, clip, patience, minDelta }) command.Options.Add(option);
        runner.SetAction(command, async (parse, client, ct) =>
        {
            var env = runner.Env;
            var json = parse.GetValue(runner.Globals.Json);
            var networkPath = parse.GetRequiredValue(network);
            var dataPath = parse.GetRequiredValue(data);
            // Option mistakes are found before anything is uploaded.
            var learningRateSchedule = LearningRateSchedules.Parse(parse.GetValue(schedule), parse.GetValue(warmup));
            var earlyStopping = EarlyStoppingFrom(parse.GetValue(patience), parse.GetValue(minDelta));
            var definition = InputFiles.ReadNetwork(networkPath);
            var csv = InputFiles.ReadCsv(dataPath);

            var createdNetwork = await client.CreateNetworkAsync(definition, ct);
            var dataset = await UploadAsync(client, csv, dataPath, parse.GetRequiredValue(target), ct);
            // Ctrl+C during the submission must not lose the job's id: the submission finishes (or times out), and
            // an interrupt that came meanwhile is answered as soon as following starts (cancel or detach).
            using var submitting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var job = await client.CreateJobAsync(new JobRequest
            {
                NetworkId = createdNetwork.Id,
                DatasetId = dataset.Id,
                Epochs = parse.GetValue(epochs),
                LearningRate = parse.GetValue(rate),
                Optimizer = parse.GetValue(optimizer),
                BatchSize = parse.GetValue(batchSize),
                Seed = parse.GetValue(seed),
                ValidationSplit = parse.GetValue(validationSplit),
                LearningRateSchedule = learningRateSchedule,
                ClipGradNorm = parse.GetValue(clip),
                EarlyStopping = earlyStopping,
            }, ct: submitting.Token);
            if (!json)
                env.Out.MarkupLine($"training [bold]{Markup.Escape(createdNetwork.Name)}[/] on {Markup.Escape(dataset.Name)} ({dataset.Rows} rows): job {Markup.Escape(job.Id)}");

            Job finished;
            try
            {
                finished = await TrainingProgress.FollowAsync(client, job, env.Out, live: !json, ct);
            }
            catch (OperationCanceledException) when (env.Interrupts.Token.IsCancellationRequested)
            {
                return await CancelOrDetachAsync(client, job.Id, env, json);
            }
            if (json)
            {
                JsonOutput.Write(env.Out, finished);
                return finished.Status == JobStatus.Succeeded ? ExitCodes.Success : ExitCodes.JobFailed;
            }
            return TrainingProgress.Summarise(finished, env.Out);
        });
        return command;
    }

    private static EarlyStopping? EarlyStoppingFrom(int? patience, double? minDelta) => (patience, minDelta) switch
    {
        (null, null) => null,
        (null, _) => throw new UsageException("--early-stopping-min-delta needs --early-stopping-patience."),
        _ => new EarlyStopping { Patience = patience, MinDelta = minDelta },
    };

    /// <summary>A CSV the service rejects is the file's fault: one line naming the file and the service's row and column.</summary>
    private static async Task<Dataset> UploadAsync(BackpropClient client, string csv, string path, string[] targets, CancellationToken ct)
    {
        try
        {
            return await client.CreateDatasetFromCsvAsync(csv, targets, Path.GetFileName(path), ct);
        }
        catch (BackpropApiException error) when (error.Status == 400)
        {
            var fields = error.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"));
            throw new UsageException($"{path}: {string.Join("; ", fields.Prepend(error.Detail).Where(s => !string.IsNullOrWhiteSpace(s)).Distinct())}");
        }
    }

    /// <summary>Ctrl+C while training: on a terminal, ask; otherwise detach (the job keeps training on the service).</summary>
    private static async Task<int> CancelOrDetachAsync(BackpropClient client, string jobId, CliEnvironment env, bool json)
    {
        env.Interrupts.Reset();
        var cancel = !json && env.Out.Profile.Capabilities.Interactive &&
            env.Out.Prompt(new SelectionPrompt<string>()
                .Title($"Stop following job {Markup.Escape(jobId)}: detach (it keeps training) or cancel it?")
                .AddChoices("detach", "cancel")) == "cancel";
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (cancel)
        {
            var cancelled = await client.CancelJobAsync(jobId, timeout.Token);
            env.Out.MarkupLine($"[yellow]cancelled[/] job {Markup.Escape(jobId)} at epoch {cancelled.EpochsCompleted}");
            return ExitCodes.JobFailed;
        }
        if (json) JsonOutput.Write(env.Out, await client.GetJobAsync(jobId, timeout.Token));
        else env.Out.MarkupLine($"detached: job {Markup.Escape(jobId)} keeps training; follow it with [bold]backprop watch {Markup.Escape(jobId)}[/]");
        return ExitCodes.Success;
    }
}
