using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests.Http;

/// <summary>The API key goes in X-Api-Key on every call; a wrong or missing one is the service's 401 problem.</summary>
public sealed class ApiKeyTests
{
    private static readonly Dictionary<string, string?> Keys = new() { ["Auth:ApiKeys:k-right-key"] = "alice" };

    [Fact]
    public async Task TheRightKeyIsAcceptedAndAWrongOrMissingOneIsUnauthorized()
    {
        await using var service = TestService.Start(Keys);
        using var right = service.Client(apiKey: "k-right-key");
        using var wrong = service.Client(apiKey: "k-wrong-key");
        using var none = service.Client();

        var network = await right.CreateNetworkAsync(Xor.Network);
        Assert.Equal(network.Id, (await right.GetNetworkAsync(network.Id)).Id);

        foreach (var client in new[] { wrong, none })
        {
            var error = await Assert.ThrowsAsync<BackpropApiException>(() => client.GetNetworkAsync(network.Id));
            Assert.Equal(401, error.Status);
            Assert.Contains("X-Api-Key", error.Detail);
        }
    }
}
