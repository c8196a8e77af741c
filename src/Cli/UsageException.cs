namespace BackpropService.Cli;

/// <summary>A mistake in what the user gave (an argument, a file): printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
