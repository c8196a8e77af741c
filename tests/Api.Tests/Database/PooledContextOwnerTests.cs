using System.Net;
using BackpropService.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BackpropService.Api.Tests.Database;

/// <summary>
/// The request's context comes from a pool and is handed to the next request when this one ends: the owner filter
/// one request set must never reach another owner's request, nor the worker's unfiltered contexts.
/// </summary>
public sealed class PooledContextOwnerTests
{
    [Fact]
    public async Task TwoOwnersTakingTurnsOnPooledContextsSeeOnlyTheirOwnRowsAndTheWorkerSeesBoth()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:alice-key-0123"] = "alice",
            ["Auth:ApiKeys:bob-key-4567"] = "bob",
        });
        var alice = WithKey(app.CreateClient(), "alice-key-0123");
        var bob = WithKey(app.CreateClient(), "bob-key-4567");

        // The premise: a request scope's context is a pooled one, which a later request gets again.
        Assert.True(AReturnedContextIsRentedAgain(app.Services), "the request scopes' contexts are not pooled");

        var (aliceNetwork, aliceDataset) = await alice.CreateXorAsync();
        var (bobNetwork, bobDataset) = await bob.CreateXorAsync();
        var alicesJobs = new List<string>();
        var bobsJobs = new List<string>();
        // Sequential and alternating, so each owner's request gets the context the other owner's request just returned.
        for (var round = 0; round < 3; round++)
        {
            alicesJobs.Add(await alice.CreateJobAsync(aliceNetwork, aliceDataset, 5));
            bobsJobs.Add(await bob.CreateJobAsync(bobNetwork, bobDataset, 5));
            Assert.Equal(alicesJobs.Order(), await ListedJobsAsync(alice));
            Assert.Equal(bobsJobs.Order(), await ListedJobsAsync(bob));
            Assert.Equal(HttpStatusCode.NotFound, (await alice.SendAsync(HttpMethod.Get, $"/api/jobs/{bobsJobs[^1]}")).Status);
            Assert.Equal(HttpStatusCode.OK, (await bob.SendAsync(HttpMethod.Get, $"/api/jobs/{bobsJobs[^1]}")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await bob.SendAsync(HttpMethod.Get, $"/api/networks/{aliceNetwork}")).Status);
            Assert.Equal(HttpStatusCode.OK, (await alice.SendAsync(HttpMethod.Get, $"/api/networks/{aliceNetwork}")).Status);
        }

        // Every job trains (the worker's contexts see every owner's queue) and each stays its owner's.
        foreach (var id in alicesJobs) await alice.WaitForStatusAsync(id, "succeeded");
        foreach (var id in bobsJobs) await bob.WaitForStatusAsync(id, "succeeded");
        await using var worker = await app.Services.GetRequiredService<IDbContextFactory<BackpropDbContext>>().CreateDbContextAsync();
        Assert.Null(worker.OwnerFilter);
        var owners = await worker.Jobs.AsNoTracking().ToDictionaryAsync(j => j.Id, j => j.Owner);
        Assert.All(alicesJobs, id => Assert.Equal("alice", owners[id]));
        Assert.All(bobsJobs, id => Assert.Equal("bob", owners[id]));
    }

    // NOTE: EF's pool hands its contexts out first in, first out, and the worker returns some too: the one returned
    // here comes back once those before it in the queue were rented, within as many rents as the pool holds.
    private static bool AReturnedContextIsRentedAgain(IServiceProvider services)
    {
        BackpropDbContext first;
        using (var scope = services.CreateScope()) first = scope.ServiceProvider.GetRequiredService<BackpropDbContext>();
        for (var rent = 0; rent < 2_000; rent++)
        {
            using var scope = services.CreateScope();
            if (ReferenceEquals(first, scope.ServiceProvider.GetRequiredService<BackpropDbContext>())) return true;
        }
        return false;
    }

    private static async Task<List<string>> ListedJobsAsync(HttpClient client)
    {
        var (status, body, _) = await client.SendAsync(HttpMethod.Get, "/api/jobs?limit=100");
        Assert.Equal(HttpStatusCode.OK, status);
        return body!["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).Order().ToList();
    }

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
