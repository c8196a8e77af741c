namespace BackpropService.Deployment.Tests;

/// <summary>Static checks of the Dockerfile; Docker/ImageTests builds and runs it.</summary>
public class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "Dockerfile"));

    private static IEnumerable<string> Instructions(string keyword) =>
        Lines.Where(l => l.TrimStart().StartsWith(keyword + " ", StringComparison.Ordinal));

    [Fact]
    public void BuildsInTheSdkImageAndRunsInTheAspNetRuntimeImage()
    {
        var froms = Instructions("FROM").ToArray();
        Assert.Equal(2, froms.Length);
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:10.0", froms[0]);
        Assert.Contains("mcr.microsoft.com/dotnet/aspnet:10.0", froms[1]);
    }

    [Fact]
    public void RestoresFromProjectFilesBeforeCopyingTheSource()
    {
        var text = string.Join('\n', Lines);
        var restore = text.IndexOf("dotnet restore", StringComparison.Ordinal);
        var copySource = text.IndexOf("COPY src/ src/", StringComparison.Ordinal);
        Assert.True(restore > 0 && copySource > restore, "the restore layer must come before the source is copied");
        foreach (var project in new[] { "src/Engine/Engine.csproj", "src/Persistence/Persistence.csproj", "src/Api/Api.csproj" })
        {
            Assert.Contains(Instructions("COPY"), l => l.Contains(project, StringComparison.Ordinal));
            Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, project)), $"{project} named in the Dockerfile exists");
        }
    }

    [Fact]
    public void RunsAsANonRootUserOnPort8080WithAHealthCheckAndADataVolume()
    {
        var user = Instructions("USER").Last();
        Assert.DoesNotContain("root", user);
        Assert.Contains(Instructions("EXPOSE"), l => l.Contains("8080"));
        Assert.Contains(Lines, l => l.Contains("ASPNETCORE_HTTP_PORTS=8080"));
        Assert.Contains(Instructions("VOLUME"), l => l.Contains("/data"));
        Assert.Contains(Lines, l => l.Contains("Data Source=/data/"));
        Assert.Contains(Instructions("HEALTHCHECK"), l => l.Length > 0);
        Assert.Contains(Lines, l => l.Contains("http://localhost:8080/health"));
    }

    [Fact]
    public void EntryPointRunsThePublishedApiAssembly()
    {
        var entry = Instructions("ENTRYPOINT").Single();
        Assert.Contains("BackpropService.Api.dll", entry);
        var project = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src/Api/Api.csproj"));
        Assert.Contains("<AssemblyName>BackpropService.Api</AssemblyName>", project);
    }
}
