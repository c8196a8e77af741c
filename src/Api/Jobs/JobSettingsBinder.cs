using System.Text.Json;
using System.Text.Json.Serialization;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Engine;

namespace BackpropService.Api.Jobs;

/// <summary>
/// A job request's hyperparameters → the engine's <see cref="TrainingSettings"/>, checked by the engine's
/// <see cref="TrainingSettingsValidator"/> and against this service's limits. The wire names are the settings' names:
/// a member the request gives replaces the default, an absent or null one keeps <see cref="TrainingSettings"/>' own.
/// </summary>
public static class JobSettingsBinder
{
    // Null members are left out, so that the settings' initialisers stay the only defaults. A number that overflowed
    // to ±Infinity on the wire (1e309) passes through as a named literal, for the validator to reject by name.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static TrainingSettings? Bind(CreateJobRequest request, LimitsOptions limits, ValidationErrors errors) =>
        Check(request, ToSettings(request), limits, errors);

    /// <summary>
    /// Checks <paramref name="settings"/>, bound from <paramref name="request"/>, as <see cref="Bind"/> does. A sweep binds
    /// its base once and sets each trial's varied members on a copy (the same names), then checks every trial here.
    /// </summary>
    public static TrainingSettings? Check(CreateJobRequest request, TrainingSettings settings, LimitsOptions limits, ValidationErrors errors)
    {
        if (request.Epochs is null)
            errors.Add("epochs", $"is required: a whole number between 1 and {limits.MaxEpochs}.");
        if (request.LearningRate is null)
            errors.Add("learningRate", "is required: a finite number above 0.");

        foreach (var error in TrainingSettingsValidator.Validate(settings))
            errors.Add(error.Field, error.Message);
        if (request.Epochs > limits.MaxEpochs)
            errors.Add("epochs", $"must be between 1 and {limits.MaxEpochs} (Limits:MaxEpochs); got {request.Epochs}.");
        if (request.BatchSize > limits.MaxBatchSize)
            errors.Add("batchSize", $"must be null (full batch) or between 1 and {limits.MaxBatchSize} (Limits:MaxBatchSize); got {request.BatchSize}.");
        return errors.Any ? null : settings;
    }

    /// <summary>The request's settings members over the defaults; a request without a seed gets a random one.</summary>
    public static TrainingSettings ToSettings(CreateJobRequest request)
    {
        var members = JsonSerializer.SerializeToElement(request with { Network = null, Dataset = null, InitialWeights = null }, Json);
        var settings = members.Deserialize<TrainingSettings>(Json)!;
        return request.Seed is null ? settings with { Seed = RandomSeed() } : settings;
    }

    // A seed small enough to survive a round trip through a JavaScript number.
    private static ulong RandomSeed() => (ulong)Random.Shared.NextInt64(0, 1L << 53);
}
