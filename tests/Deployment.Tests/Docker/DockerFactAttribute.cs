namespace BackpropService.Deployment.Tests.Docker;

/// <summary>
/// A fact that needs a running Docker engine. Where there is none it skips with the reason, except under CI (CI=true),
/// where .ci/run installs docker.io and starts dockerd: there a missing engine must fail the test rather than hide it.
/// </summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (ExternalTool.UnderCi) return;
        if (ExternalTool.Find("docker") is null)
            Skip = "'docker' is not installed (apt-get install docker.io); .ci/run installs it.";
        else if (!File.Exists("/var/run/docker.sock"))
            Skip = "no Docker engine is running (start dockerd); .ci/run starts it.";
    }
}
