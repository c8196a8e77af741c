namespace BackpropService.Cli;

/// <summary>The <c>backprop</c> tool's entry point (a named class: the service's own <c>Program</c> is global).</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliEnvironment.FromProcess());
}
