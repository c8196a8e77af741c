using System.Text.Json;
using BackpropService.Api.Infrastructure;
using BackpropService.Api.Limits;
using BackpropService.Api.Sweeps;

namespace BackpropService.Api.Tests.Sweeps;

/// <summary>Grid × random expansion: the order, the combination, the draws' ranges, and the same trials for the same request.</summary>
public sealed class SweepPlanTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static CreateSweepRequest Request(string json) => JsonSerializer.Deserialize<CreateSweepRequest>(json, Json)!;

    private static List<List<(string Field, string Value, string Path)>> Expand(string json)
    {
        var errors = new ValidationErrors();
        var plan = SweepPlan.Read(Request(json), new LimitsOptions(), Json, errors);
        Assert.False(errors.Any, errors.Summary);
        var trials = plan!.Trials().Select(t => t.Select(v => (v.Field.Name, JsonSerializer.Serialize(v.Shown), v.Path)).ToList()).ToList();
        Assert.Equal(plan.Count, trials.Count);
        return trials;
    }

    private const string Both = """
        { "grid": { "learningRate": [0.1, 0.5], "optimizer": ["sgd", "adam", "momentum"] },
          "random": { "count": 4, "seed": 7, "space": { "momentum": { "uniform": [0.5, 0.99] },
                                                        "epochs": { "logUniform": [10, 1000] },
                                                        "batchSize": { "choice": [16, 32, 64] } } } }
        """;

    [Fact]
    public void TheGridIsTheCartesianProductWithTheLastFieldVaryingFastest()
    {
        var trials = Expand("""{ "grid": { "learningRate": [0.1, 0.5], "seed": [1, 2, 3] } }""");
        Assert.Equal(["0.1/1", "0.1/2", "0.1/3", "0.5/1", "0.5/2", "0.5/3"], trials.Select(t => $"{t[0].Value}/{t[1].Value}"));
        Assert.Equal(["grid.learningRate[1]", "grid.seed[2]"], trials[5].Select(v => v.Path));
    }

    [Fact]
    public void EveryGridPointIsCombinedWithEveryDrawAndTheSameRequestGivesTheSameTrials()
    {
        var trials = Expand(Both);
        Assert.Equal(2 * 3 * 4, trials.Count);
        // The draws are the same for every grid point: draw d of point p equals draw d of point 0.
        var draws = trials.Select(t => string.Join(",", t.Skip(2).Select(v => v.Value))).ToList();
        for (var p = 1; p < 6; p++) Assert.Equal(draws.Take(4), draws.Skip(4 * p).Take(4));
        Assert.Equal(4, draws.Take(4).Distinct().Count());

        Assert.Equal(trials, Expand(Both));
        Assert.NotEqual(trials, Expand(Both.Replace("\"seed\": 7", "\"seed\": 8")));
    }

    [Fact]
    public void DrawsStayInTheirRangesAndWholeNumberFieldsAreRounded()
    {
        var trials = Expand(Both.Replace("\"count\": 4", "\"count\": 200"));
        foreach (var trial in trials)
        {
            var momentum = double.Parse(trial[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(momentum, 0.5, 0.99);
            Assert.True(int.TryParse(trial[3].Value, out var epochs), trial[3].Value);
            Assert.InRange(epochs, 10, 1000);
            Assert.Contains(trial[4].Value, new[] { "16", "32", "64" });
            Assert.Equal(["random.space.momentum", "random.space.epochs"], trial.Skip(2).Take(2).Select(v => v.Path));
            Assert.StartsWith("random.space.batchSize.choice[", trial[4].Path);
        }
        // A log-uniform draw over two decades puts about half its draws below the geometric middle (100).
        var below = trials.Count(t => int.Parse(t[3].Value) < 100);
        Assert.InRange(below, trials.Count / 4, trials.Count * 3 / 4);
    }
}
