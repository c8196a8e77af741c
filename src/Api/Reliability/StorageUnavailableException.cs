namespace BackpropService.Api.Reliability;

/// <summary>The database kept failing past the retry budget; the message says what failed and for how long.</summary>
/// <remarks>An <see cref="InvalidOperationException"/>, so the job's <c>error</c> is this message as it is.</remarks>
public sealed class StorageUnavailableException(string message, Exception inner) : InvalidOperationException(message, inner);
