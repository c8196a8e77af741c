using BackpropService.Api.Testing;
using BackpropService.Client.Models;
using BackpropService.Client.Tests.Harness;

namespace BackpropService.Client.Tests;

/// <summary>DownloadModelAsync: an ONNX model to a stream or a file, and the 409/404 problems without leaving a file behind.</summary>
public sealed class ModelExportTests
{
    /// <summary>An ONNX ModelProto starts with field 1 (ir_version) as a varint: tag byte (1 &lt;&lt; 3) | 0.</summary>
    private const byte IrVersionTag = 0x08;

    [Fact]
    public async Task ATrainedJobsModelIsWrittenToAStreamAndToAFileAsTheSameProtobufBytes()
    {
        await using var service = TestService.Start();
        using var client = service.Client();
        var job = await client.CreateJobAsync(Xor.Job(epochs: 50));
        Assert.Equal(JobStatus.Succeeded, (await client.FinishAsync(job.Id)).Status);

        using var stream = new MemoryStream();
        var streamed = await client.DownloadModelAsync(job.Id, stream);
        var path = Path.Combine(Path.GetTempPath(), $"backprop-{Guid.NewGuid():N}.onnx");
        try
        {
            var saved = await client.DownloadModelAsync(job.Id, path);
            var bytes = await File.ReadAllBytesAsync(path);

            Assert.True(bytes.Length > 0);
            Assert.Equal(IrVersionTag, bytes[0]);
            Assert.Equal(stream.ToArray(), bytes);
            Assert.Equal(bytes.Length, streamed.Length);
            Assert.Equal(bytes.Length, saved.Length);
            Assert.Equal("xor.onnx", saved.SuggestedFileName);
            // The model's metadata names the job it came from.
            Assert.Contains(job.Id, System.Text.Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task AJobWithoutWeightsIsAConflictAndAnUnknownJobNotFoundAndNeitherLeavesAFile()
    {
        await using var service = TestService.Start();
        using var hold = EpochHold.Arm(service.App.InstanceName, 1);
        using var client = service.Client();
        var job = await client.CreateJobAsync(Xor.Job(epochs: 1000));
        Assert.Equal(job.Id, await hold.Reached.WaitAsync(TimeSpan.FromSeconds(60)));
        var path = Path.Combine(Path.GetTempPath(), $"backprop-{Guid.NewGuid():N}.onnx");

        // Held before its first epoch: no checkpoint, so no weights.
        var conflict = await Assert.ThrowsAsync<BackpropApiException>(() => client.DownloadModelAsync(job.Id, path));
        var unknown = await Assert.ThrowsAsync<BackpropApiException>(() => client.DownloadModelAsync(Guid.Empty.ToString(), new MemoryStream()));

        Assert.Equal(409, conflict.Status);
        Assert.Contains("no weights", conflict.Detail);
        Assert.False(File.Exists(path));
        Assert.Equal(404, unknown.Status);
        await client.CancelJobAsync(job.Id);
        hold.Release();
    }
}
