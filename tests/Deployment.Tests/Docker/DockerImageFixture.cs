using System.Diagnostics;
using System.Globalization;

namespace BackpropService.Deployment.Tests.Docker;

/// <summary>
/// Builds the project's Dockerfile once per test run, as the README says (<c>docker build -t backpropservice .</c>),
/// under the tag docker-compose.yml names, so <c>docker-compose up --build</c> then reuses every cached layer.
/// On machines without the registry the base images are the stand-ins deploy/standin-images.sh makes.
/// </summary>
public sealed class DockerImageFixture
{
    public const string Tag = "backpropservice:latest";

    private readonly Lazy<Task<BuiltImage>> _image = new(BuildAsync);

    public Task<BuiltImage> ImageAsync() => _image.Value;

    private static async Task<BuiltImage> BuildAsync()
    {
        var clock = Stopwatch.StartNew();
        await DockerCli.RunAsync($"build -t {Tag} .", TimeSpan.FromMinutes(20));
        var buildTime = clock.Elapsed;
        var size = long.Parse(await DockerCli.RunAsync($"image inspect --format {{{{.Size}}}} {Tag}"), CultureInfo.InvariantCulture);
        return new BuiltImage(Tag, buildTime, size);
    }
}

public sealed record BuiltImage(string Tag, TimeSpan BuildTime, long SizeBytes)
{
    public string Describe() => FormattableString.Invariant(
        $"image {Tag}: docker build took {BuildTime.TotalSeconds:F1} s (layers cached by earlier builds reused), size {SizeBytes / 1e6:F0} MB");
}

[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerImageFixture>
{
    // One collection: the image is built once, and the container tests run one after another (each loads the CPU).
    public const string Name = "docker";
}
