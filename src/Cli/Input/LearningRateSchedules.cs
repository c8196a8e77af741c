using System.Globalization;
using BackpropService.Client.Models;

namespace BackpropService.Cli.Input;

/// <summary>
/// Parses <c>--lr-schedule</c>: <c>step:SIZE:GAMMA</c>, <c>exponential:GAMMA</c> or <c>cosine[:MIN]</c>, with
/// <c>--warmup-epochs N</c> added to it. Range checks are the service's (its 400 names the field); only the shape of
/// the text is checked here.
/// </summary>
public static class LearningRateSchedules
{
    public const string Forms = "step:SIZE:GAMMA, exponential:GAMMA or cosine[:MIN]";

    public static LearningRateSchedule? Parse(string? text, int? warmupEpochs)
    {
        if (text is null)
            return warmupEpochs is null ? null : throw new UsageException("--warmup-epochs needs --lr-schedule (the warm-up leads into a schedule).");
        var parts = text.Split(':');
        var schedule = (parts[0].ToLowerInvariant(), parts.Length) switch
        {
            ("step", 3) => new LearningRateSchedule { Type = "step", StepSize = Integer(parts[1], text), Gamma = Number(parts[2], text) },
            ("exponential", 2) => new LearningRateSchedule { Type = "exponential", Gamma = Number(parts[1], text) },
            ("cosine", 1) => new LearningRateSchedule { Type = "cosine" },
            ("cosine", 2) => new LearningRateSchedule { Type = "cosine", MinLearningRate = Number(parts[1], text) },
            _ => throw Bad(text),
        };
        return schedule with { WarmupEpochs = warmupEpochs };
    }

    private static int Integer(string part, string text) =>
        int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Bad(text);

    private static double Number(string part, string text) =>
        double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : throw Bad(text);

    private static UsageException Bad(string text) => new($"--lr-schedule: '{text}' is not {Forms}.");
}
