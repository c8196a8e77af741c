namespace BackpropService.Cli.Tests.Harness;

/// <summary>The repository's <c>samples/</c> files, as the README's commands use them.</summary>
public static class Samples
{
    public static string Path(string relative)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "BackpropService.sln"))) directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("BackpropService.sln not found above " + AppContext.BaseDirectory);
        return System.IO.Path.Combine(directory.FullName, "samples", relative);
    }
}
