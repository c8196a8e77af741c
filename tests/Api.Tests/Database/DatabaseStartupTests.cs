using System.Net;
using System.Text.Json.Nodes;
using BackpropService.Api.Database;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Database;

/// <summary>
/// The database is prepared beside the rest of the start-up: a request that arrives meanwhile waits for the preparation
/// and is then answered; one that arrives after a failed preparation gets a 503 problem, not a 500.
/// </summary>
public sealed class DatabaseStartupTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ARequestDuringThePreparationWaitsForItAndIsThenAnswered()
    {
        var preparation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = false;
        await using var app = await StartAsync(new DatabaseStartup(() => preparation.Task), arrived, () => handled = true);
        using var client = app.GetTestClient();

        var response = client.GetAsync("/probe");
        await arrived.Task.WaitAsync(Patience); // at the gate (or past it, were it open)
        Assert.False(handled, "the request was handled before the database was prepared");
        Assert.False(response.IsCompleted);
        preparation.SetResult();
        Assert.Equal(HttpStatusCode.OK, (await response.WaitAsync(Patience)).StatusCode);
        Assert.True(handled);
    }

    [Fact]
    public async Task ARequestAfterAFailedPreparationGetsA503Problem()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = false;
        await using var app = await StartAsync(
            new DatabaseStartup(() => Task.FromException(new InvalidOperationException("no database"))), arrived, () => handled = true);
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/probe").WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("database could not be prepared", problem["detail"]!.GetValue<string>());
        Assert.False(handled);
    }

    [Fact]
    public void ThePreparationBeginsOnceHoweverOftenItIsAskedFor()
    {
        var begun = 0;
        var startup = new DatabaseStartup(() =>
        {
            Interlocked.Increment(ref begun);
            return Task.CompletedTask;
        });
        startup.Begin();
        startup.Begin();
        Assert.True(startup.Ready.IsCompletedSuccessfully);
        Assert.Equal(1, begun);
    }

    /// <summary>A server with only the gate and one endpoint behind it; <paramref name="arrived"/> is set as a request reaches the gate.</summary>
    private static async Task<WebApplication> StartAsync(DatabaseStartup startup, TaskCompletionSource arrived, Action handle)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(startup);
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            arrived.TrySetResult();
            await next(context);
        });
        app.UseDatabaseReady();
        app.MapGet("/probe", () =>
        {
            handle();
            return "ok";
        });
        await app.StartAsync();
        return app;
    }
}
