using System.Net;
using System.Text.Json.Nodes;

namespace BackpropService.Api.Tests.Jobs;

/// <summary>PATCH /api/jobs/{id} names, notes and tags a run (merge semantics); GET /api/jobs?tag=&amp;q= finds runs by them.</summary>
public sealed class RunMetadataTests
{
    [Fact]
    public async Task PatchSetsOnlyTheMembersSentAndNullResetsThem()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var id = await client.CreateJobAsync(networkId, datasetId, 10);
        var created = await client.GetJobAsync(id);
        Assert.Equal("xor", created["name"]!.GetValue<string>());
        Assert.Null(created["notes"]);
        Assert.Empty(created["tags"]!.AsArray());

        var (status, body, _) = await client.SendAsync(HttpMethod.Patch, $"/api/jobs/{id}",
            """{ "name": "xor, lr 0.5", "notes": "baseline for the sweep", "tags": ["baseline", "xor"] }""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("xor, lr 0.5", body!["name"]!.GetValue<string>());
        Assert.Equal(id, body["id"]!.GetValue<string>());

        // Merge patch: notes alone leaves name and tags; the stored job says the same as the answer.
        (status, _, _) = await client.SendAsync(HttpMethod.Patch, $"/api/jobs/{id}", """{ "notes": "second thoughts" }""", "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, status);
        var job = await client.GetJobAsync(id);
        Assert.Equal("xor, lr 0.5", job["name"]!.GetValue<string>());
        Assert.Equal("second thoughts", job["notes"]!.GetValue<string>());
        Assert.Equal(["baseline", "xor"], Tags(job));

        (status, body, _) = await client.SendAsync(HttpMethod.Patch, $"/api/jobs/{id}", """{ "name": null, "notes": null, "tags": null }""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("xor", body!["name"]!.GetValue<string>());
        Assert.Null(body["notes"]);
        Assert.Empty(Tags(body));
    }

    [Theory]
    [InlineData("""{ "name": "a\u001b[2Jb" }""", "name", "control")]
    [InlineData("""{ "name": "evil\u202Egnp.exe" }""", "name", "bidirectional")]
    [InlineData("""{ "name": "   " }""", "name", "empty")]
    [InlineData("""{ "tags": ["a", ""] }""", "tags[1]", "empty")]
    [InlineData("""{ "tags": ["a", "b", "a"] }""", "tags[2]", "repeats")]
    [InlineData("""{ "tags": ["line\nfeed"] }""", "tags[0]", "control")]
    [InlineData("""{ "colour": "red" }""", "colour", "colour")]
    [InlineData("""[ "name" ]""", "body", "")]
    public async Task BadChangesAre400NamingTheFieldAndChangeNothing(string patch, string field, string says)
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var id = await client.CreateJobAsync(networkId, datasetId, 10);

        var (status, problem, response) = await client.SendAsync(HttpMethod.Patch, $"/api/jobs/{id}", patch);
        Assert.True(status == HttpStatusCode.BadRequest, $"{patch} → {(int)status} {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem!["errors"]?.AsObject();
        Assert.True(errors is not null && errors.ContainsKey(field), $"{patch} → {problem}");
        Assert.Contains(says, errors![field]![0]!.GetValue<string>());
        Assert.Equal("xor", (await client.GetJobAsync(id))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task LimitsBoundNameNotesAndTags()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Limits:MaxNameLength"] = "5", ["Limits:MaxNotesLength"] = "8", ["Limits:MaxTagsPerJob"] = "2", ["Limits:MaxTagLength"] = "3",
        });
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var id = await client.CreateJobAsync(networkId, datasetId, 10);
        foreach (var (patch, field, limit) in new[]
                 {
                     ("""{ "name": "sixsix" }""", "name", "MaxNameLength"), ("""{ "notes": "nine nine" }""", "notes", "MaxNotesLength"),
                     ("""{ "tags": ["a", "b", "c"] }""", "tags", "MaxTagsPerJob"), ("""{ "tags": ["long"] }""", "tags[0]", "MaxTagLength"),
                 })
        {
            var (status, problem, _) = await client.SendAsync(HttpMethod.Patch, $"/api/jobs/{id}", patch);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains($"Limits:{limit}", problem!["errors"]![field]![0]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Patch, $"/api/jobs/{id}", """{ "name": "five5", "notes": "eight888", "tags": ["abc", "d"] }""")).Status);
    }

    [Fact]
    public async Task AnUnknownJobIs404AndAnotherMediaTypeIs415()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (status, problem, _) = await client.SendAsync(HttpMethod.Patch, "/api/jobs/nope", """{ "name": "x" }""");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("'nope' does not exist", problem!["detail"]!.GetValue<string>());
        (status, problem, _) = await client.SendAsync(HttpMethod.Patch, "/api/jobs/nope", "name=x", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("application/json", problem!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListFiltersByTagAndByTextInNameOrNotesAcrossPages()
    {
        await using var app = new BackpropApplication();
        var client = app.CreateClient();
        var (networkId, datasetId) = await client.CreateXorAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add(await client.CreateJobAsync(networkId, datasetId, 10));
        await Patch(client, ids[0], """{ "tags": ["keep", "ab"] }""");
        await Patch(client, ids[1], """{ "tags": ["keeper"] }""");
        await Patch(client, ids[2], """{ "tags": ["b", "keep"], "notes": "Tried a WIDER layer" }""");
        await Patch(client, ids[3], """{ "name": "Wide net", "tags": ["keep"] }""");

        // A tag matches whole tags only ("keep" is not "keeper"; "b" is not "ab"), page after page.
        Assert.Equal([ids[3], ids[2], ids[0]], await ListAllAsync(client, "tag=keep&limit=1"));
        Assert.Equal([ids[2]], await ListAllAsync(client, "tag=b&limit=2"));
        // Text in the name or the notes, any case; combined with a tag and a status.
        Assert.Equal([ids[3], ids[2]], await ListAllAsync(client, "q=wide&limit=1"));
        Assert.Equal([ids[3]], await ListAllAsync(client, "q=NET&tag=keep"));
        Assert.Empty(await ListAllAsync(client, "q=wide&status=failed"));
        Assert.Equal(5, (await ListAllAsync(client, "q=&tag=")).Count);

        var (status, problem, _) = await client.SendAsync(HttpMethod.Get, "/api/jobs?tag=a%1Bb");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem!["errors"]!.AsObject().ContainsKey("tag"), problem.ToJsonString());
    }

    [Fact]
    public async Task AnotherOwnersJobsCannotBePatchedNorFoundByTag()
    {
        await using var app = new BackpropApplication(settings: new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:alice-key-0123"] = "alice",
            ["Auth:ApiKeys:bob-key-4567"] = "bob",
        });
        var alice = WithKey(app.CreateClient(), "alice-key-0123");
        var bob = WithKey(app.CreateClient(), "bob-key-4567");
        var (networkId, datasetId) = await alice.CreateXorAsync();
        var id = await alice.CreateJobAsync(networkId, datasetId, 10);
        await Patch(alice, id, """{ "tags": ["secret"] }""");

        Assert.Equal(HttpStatusCode.NotFound, (await bob.SendAsync(HttpMethod.Patch, $"/api/jobs/{id}", """{ "name": "mine" }""")).Status);
        Assert.Empty(await ListAllAsync(bob, "tag=secret"));
        Assert.Equal([id], await ListAllAsync(alice, "tag=secret"));
        Assert.Equal("xor", (await alice.GetJobAsync(id))["name"]!.GetValue<string>());
    }

    private static async Task Patch(HttpClient client, string id, string patch)
    {
        var (status, body, _) = await client.SendAsync(HttpMethod.Patch, $"/api/jobs/{id}", patch);
        Assert.True(status == HttpStatusCode.OK, $"PATCH {patch} → {(int)status} {body}");
    }

    private static async Task<List<string>> ListAllAsync(HttpClient client, string query)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.GetJsonAsync($"/api/jobs?{query}" + (cursor is null ? "" : $"&cursor={cursor}"));
            ids.AddRange(page["items"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()));
            cursor = page["next"]?.GetValue<string>();
        } while (cursor is not null);
        return ids;
    }

    private static List<string> Tags(JsonNode job) => job["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();

    private static HttpClient WithKey(HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
