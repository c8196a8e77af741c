using System.Net;
using System.Reflection;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Jobs;
using BackpropService.Api.Limits;
using BackpropService.Engine;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>A job request's hyperparameters become the engine's settings by name, checked by the engine's one validator.</summary>
public sealed class JobSettingsTests
{
    private static readonly string[] ResourceMembers =
        [nameof(CreateJobRequest.NetworkId), nameof(CreateJobRequest.DatasetId), nameof(CreateJobRequest.Network), nameof(CreateJobRequest.Dataset),
         nameof(CreateJobRequest.InitialWeights)]; // a warm start's source: copied to the job at admission, not a setting

    [Fact]
    public void EverySettingHasAWireMemberOfTheSameNameAndNoWireMemberIsLeftOver()
    {
        static IEnumerable<string> Names(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Order();
        Assert.Equal(Names(typeof(TrainingSettings)), Names(typeof(CreateJobRequest)).Except(ResourceMembers));
    }

    [Fact]
    public void EveryGivenMemberReachesTheSettings()
    {
        var request = new CreateJobRequest
        {
            Epochs = 7, LearningRate = 0.25, Optimizer = "adam", Momentum = 0.5, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6,
            BatchSize = 3, Seed = 11, ValidationSplit = 0.25, WeightDecay = 0.01, TargetCost = 0.2, Shuffle = false,
            LearningRateSchedule = new() { Type = "cosine", MinLearningRate = 0.01, WarmupEpochs = 2 }, ClipGradNorm = 1.5,
            EarlyStopping = new() { Metric = "cost", Patience = 3, MinDelta = 1e-4, RestoreBest = false }, RecordGradientNorms = true,
        };
        var expected = new TrainingSettings
        {
            Epochs = 7, LearningRate = 0.25, Optimizer = "adam", Momentum = 0.5, Beta1 = 0.8, Beta2 = 0.99, Epsilon = 1e-6,
            BatchSize = 3, Seed = 11, ValidationSplit = 0.25, WeightDecay = 0.01, TargetCost = 0.2, Shuffle = false,
            LearningRateSchedule = new() { Type = "cosine", MinLearningRate = 0.01, WarmupEpochs = 2 }, ClipGradNorm = 1.5,
            EarlyStopping = new() { Metric = "cost", Patience = 3, MinDelta = 1e-4, RestoreBest = false }, RecordGradientNorms = true,
        };
        Assert.Equal(expected, Bind(request, out var errors));
        Assert.False(errors.Any);
    }

    [Fact]
    public void OmittedMembersKeepTheEngineDefaultsAndASeedIsChosen()
    {
        var settings = Bind(new CreateJobRequest { Epochs = 5, LearningRate = 0.5 }, out _)!;
        Assert.Equal(new TrainingSettings { Epochs = 5, LearningRate = 0.5, Seed = settings.Seed }, settings);
        Assert.True(settings.Seed < 1UL << 53, $"seed {settings.Seed} does not survive a JavaScript number");
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    public void NonFiniteNumbersAreRejectedByName(double rate)
    {
        Assert.Null(Bind(new CreateJobRequest { Epochs = 5, LearningRate = rate }, out var errors));
        Assert.Equal(["must be a finite number above 0."], errors.ToDictionary()["learningRate"]);
    }

    [Fact]
    public void MissingEpochsAndRateAreRequired()
    {
        Assert.Null(Bind(new CreateJobRequest(), out var errors));
        Assert.Equal(["epochs", "learningRate"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void TheApiReportsTheEngineValidatorsWording()
    {
        Assert.Null(Bind(new CreateJobRequest { Epochs = 5, LearningRate = 0.5, Momentum = 1 }, out var errors));
        var engine = Assert.Single(TrainingSettingsValidator.Validate(new TrainingSettings { Momentum = 1 }));
        Assert.Equal([engine.Message], errors.ToDictionary()["momentum"]);
    }

    [Fact]
    public void LimitsAreTheServicesOwn()
    {
        Assert.Null(Bind(new CreateJobRequest { Epochs = 11, LearningRate = 0.5, BatchSize = 4 }, out var errors, new LimitsOptions { MaxEpochs = 10, MaxBatchSize = 3 }));
        Assert.Contains("Limits:MaxEpochs", Assert.Single(errors.ToDictionary()["epochs"]));
        Assert.Contains("Limits:MaxBatchSize", Assert.Single(errors.ToDictionary()["batchSize"]));
    }

    [Theory]
    [InlineData("learningRate", "1e308", "1E+308")]
    [InlineData("weightDecay", "1e39", "1E+39")]
    [InlineData("targetCost", "3.5e38", "3.5E+38")]
    public async Task FiniteNumbersBeyondFloat32AreA400NamingTheField(string field, string json, string written)
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var settings = field == "learningRate" ? $"\"learningRate\": {json}" : $"\"learningRate\": 0.5, \"{field}\": {json}";
        var (status, body, _) = await client.SendAsync(HttpMethod.Post, "/api/jobs",
            $$"""{ "networkId": "{{networkId}}", "datasetId": "{{datasetId}}", "epochs": 10, {{settings}} }""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"{written} is outside the float32 range.", body!["errors"]![field]![0]!.GetValue<string>());
        Assert.Empty((await client.GetJsonAsync("/api/jobs"))["items"]!.AsArray());
    }

    private static TrainingSettings? Bind(CreateJobRequest request, out ValidationErrors errors, LimitsOptions? limits = null)
    {
        errors = new ValidationErrors();
        return JobSettingsBinder.Bind(request, limits ?? new LimitsOptions(), errors);
    }
}
