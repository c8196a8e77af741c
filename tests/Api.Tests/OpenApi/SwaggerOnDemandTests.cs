using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Swashbuckle.AspNetCore.Swagger;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BackpropService.Api.Tests.OpenApi;

/// <summary>The OpenAPI document is made only when asked for: other requests never reach Swashbuckle.</summary>
public sealed class SwaggerOnDemandTests
{
    [Fact]
    public async Task OnlyARequestUnderSwaggerMakesADocumentGenerator()
    {
        var made = 0;
        await using var app = new BackpropApplication();
        await using var counted = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddTransient<ISwaggerProvider>(provider =>
            {
                Interlocked.Increment(ref made);
                return ActivatorUtilities.CreateInstance<SwaggerGenerator>(provider);
            })));
        var client = counted.CreateClient();

        (await client.GetAsync("/health")).EnsureSuccessStatusCode();
        (await client.GetAsync("/api/jobs")).EnsureSuccessStatusCode();
        (await client.GetAsync("/")).EnsureSuccessStatusCode();
        Assert.Equal(0, Volatile.Read(ref made));

        var document = await client.GetJsonAsync("/swagger/v1/swagger.json");
        Assert.NotNull(document["paths"]);
        Assert.True(Volatile.Read(ref made) > 0, "the document was served without the counted generator");
    }
}
