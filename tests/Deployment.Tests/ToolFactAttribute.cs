namespace BackpropService.Deployment.Tests;

/// <summary>
/// A fact that needs an external program. Where the program is missing it skips with the reason, except under CI
/// (CI=true), where .ci/run installs it: there a missing program must fail the test rather than hide it.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string program)
    {
        if (ExternalTool.Find(program) is null && !ExternalTool.UnderCi)
            Skip = $"'{program}' is not installed (apt-get install {program}); .ci/run installs it.";
    }
}
