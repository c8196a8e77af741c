namespace BackpropService.Engine.Benchmarks;

/// <summary>How the console modes (workloads, sgemm, profile) read <c>--name value</c> options.</summary>
internal static class ConsoleOptions
{
    /// <summary>The value after <paramref name="name"/>, or null when the option is absent.</summary>
    public static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
