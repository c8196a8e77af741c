namespace BackpropService.Api.Tests.Health;

public sealed class StaticPageTests
{
    [Fact]
    public async Task ThePageIsServedAtTheRoot()
    {
        await using var app = new BackpropApplication();
        var response = await app.CreateClient().GetAsync("/");
        Assert.True(response.IsSuccessStatusCode, $"GET / → {(int)response.StatusCode}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
