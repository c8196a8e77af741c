namespace BackpropService.Api.Tests.Health;

public sealed class HealthApiTests
{
    [Fact]
    public async Task HealthReportsDatabaseAndWorker()
    {
        await using var app = new BackpropApplication();
        var body = await app.CreateClient().GetJsonAsync("/health");
        Assert.Equal("healthy", body["status"]!.GetValue<string>());
        Assert.Equal("ok", body["database"]!.GetValue<string>());
        Assert.Equal("ok", body["worker"]!.GetValue<string>());
    }
}
