using BackpropService.Api.Training;
using BackpropService.Engine;
using BackpropService.Engine.Graphs;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Training;

public sealed class TrainingInputsTests
{
    [Fact]
    public async Task AJobOnACachedNetworkAndDatasetTrainsTheSameBitsAsTheFirstJobThatReadThem()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var inputs = app.Services.GetRequiredService<TrainingInputs>();

        var first = await client.CreateJobAsync(networkId, datasetId, 300);
        await client.WaitForStatusAsync(first, "succeeded");
        Assert.True(inputs.TryGetGraph(networkId, out _));
        Assert.True(inputs.TryGetDataset(datasetId, out _));
        var second = await client.CreateJobAsync(networkId, datasetId, 300); // reads neither from the database
        await client.WaitForStatusAsync(second, "succeeded");

        Assert.Equal(await client.HistoryAsync(first), await client.HistoryAsync(second));
        Assert.Equal((await client.GetJsonAsync($"/api/jobs/{first}/weights"))["parameters"]!.ToJsonString(),
            (await client.GetJsonAsync($"/api/jobs/{second}/weights"))["parameters"]!.ToJsonString());
    }

    [Fact]
    public void PastItsEntriesTheCacheStartsOverWithTheNewOne()
    {
        var inputs = new TrainingInputs(maxEntries: 2);
        inputs.AddGraph("a", Graph());
        inputs.AddGraph("b", Graph());
        inputs.AddDataset("a", Data(1));
        inputs.AddDataset("b", Data(1));
        Assert.True(inputs.TryGetGraph("a", out _) && inputs.TryGetDataset("a", out _));

        inputs.AddGraph("c", Graph());
        inputs.AddDataset("c", Data(1));

        Assert.False(inputs.TryGetGraph("a", out _));
        Assert.False(inputs.TryGetDataset("a", out _));
        Assert.True(inputs.TryGetGraph("c", out _));
        Assert.True(inputs.TryGetDataset("c", out var data));
        Assert.Equal(1, data.Rows);
    }

    [Fact]
    public void DatasetsAreKeptWithinTheirBytesAndOneLargerThanThemIsNotKept()
    {
        var inputs = new TrainingInputs(maxDatasetBytes: 3 * RowBytes);
        inputs.AddDataset("two rows", Data(2));
        inputs.AddDataset("too large", Data(4));
        Assert.True(inputs.TryGetDataset("two rows", out _));
        Assert.False(inputs.TryGetDataset("too large", out _));

        inputs.AddDataset("two more", Data(2)); // 4 rows in all: over the bound, so the cache starts over

        Assert.False(inputs.TryGetDataset("two rows", out _));
        Assert.True(inputs.TryGetDataset("two more", out _));
    }

    // One row: two features and one target, float32.
    private const long RowBytes = 3 * sizeof(float);

    private static TrainingData Data(int rows) => new(new float[rows * 2], new float[rows], rows, 2, 1);

    private static GraphDefinition Graph() => new([], "out");
}
