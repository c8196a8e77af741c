using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests;

/// <summary>UpdateJobAsync (PATCH with merge semantics) and the job list's tag and text filters.</summary>
public sealed class JobMetadataTests
{
    [Fact]
    public async Task APatchSetsOnlyWhatItCarriesAndNullResetsAMember()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var job = await client.CreateJobAsync(Xor.Job(epochs: 10));
        Assert.Equal("xor", job.Name);
        Assert.Null(job.Notes);
        Assert.Empty(job.Tags);

        var named = await client.UpdateJobAsync(job.Id, new JobUpdate { Name = "xor, lr 0.5", Notes = "baseline run", Tags = new[] { "baseline", "xor" } });
        var notesOnly = await client.UpdateJobAsync(job.Id, new JobUpdate { Notes = "second thoughts" });
        var reset = await client.UpdateJobAsync(job.Id, new JobUpdate { Name = null, Tags = null });

        Assert.Equal(("xor, lr 0.5", "baseline run"), (named.Name, named.Notes));
        Assert.Equal(["baseline", "xor"], named.Tags);
        Assert.Equal(("xor, lr 0.5", "second thoughts"), (notesOnly.Name, notesOnly.Notes));
        Assert.Equal(["baseline", "xor"], notesOnly.Tags);
        Assert.Equal(("xor", "second thoughts"), (reset.Name, reset.Notes));
        Assert.Empty(reset.Tags);
        var read = await client.GetJobAsync(job.Id);
        Assert.Equal((reset.Name, reset.Notes, reset.Tags.Count), (read.Name, read.Notes, read.Tags.Count));
    }

    [Fact]
    public async Task JobsAreFilteredByTagAndByTextInNameOrNotes()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var a = await client.CreateJobAsync(Xor.Job(epochs: 5, seed: 1));
        var b = await client.CreateJobAsync(Xor.Job(epochs: 5, seed: 2));
        var c = await client.CreateJobAsync(Xor.Job(epochs: 5, seed: 3));
        await client.UpdateJobAsync(a.Id, new JobUpdate { Tags = new[] { "baseline" }, Notes = "the Reference run" });
        await client.UpdateJobAsync(b.Id, new JobUpdate { Tags = new[] { "baseline", "wide" }, Name = "wider net" });
        await client.UpdateJobAsync(c.Id, new JobUpdate { Tags = new[] { "wide" } });

        var baseline = await client.ListJobsAsync(new JobListQuery { Tag = "baseline" });
        var wideAndWider = await client.ListJobsAsync(new JobListQuery { Tag = "wide", Search = "WIDER" });
        var reference = await client.ListJobsAsync(new JobListQuery { Search = "reference" });
        var paged = await client.ListJobsAsync(new JobListQuery { Tag = "baseline", Limit = 1 });

        Assert.Equal([b.Id, a.Id], baseline.Items.Select(j => j.Id));
        Assert.Equal([b.Id], wideAndWider.Items.Select(j => j.Id));
        Assert.Equal([a.Id], reference.Items.Select(j => j.Id));
        Assert.Equal([a.Id], (await client.ListJobsAsync(new JobListQuery { Tag = "baseline", Cursor = paged.Next })).Items.Select(j => j.Id));
    }

    [Fact]
    public async Task ABadPatchIsAProblemNamingTheFieldAndAnUnknownJobIsNotFound()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var job = await client.CreateJobAsync(Xor.Job(epochs: 5));

        var repeated = await Assert.ThrowsAsync<BackpropApiException>(() => client.UpdateJobAsync(job.Id, new JobUpdate { Tags = new[] { "a", "a" } }));
        var blank = await Assert.ThrowsAsync<BackpropApiException>(() => client.UpdateJobAsync(job.Id, new JobUpdate { Name = " " }));
        var unknown = await Assert.ThrowsAsync<BackpropApiException>(() => client.UpdateJobAsync("missing", new JobUpdate { Notes = "x" }));

        Assert.Equal(400, repeated.Status);
        Assert.Contains("tags[1]", repeated.Errors.Keys);
        Assert.Contains("name", blank.Errors.Keys);
        Assert.Equal(404, unknown.Status);
        Assert.Empty((await client.GetJobAsync(job.Id)).Tags);
    }
}
