namespace BackpropService.Client;

/// <summary>
/// A problem+json answer from the service (RFC 9457): its status, title, detail and, for a validation problem,
/// the messages for each field path (<c>"layers[0].units": ["must be 1 or more; got 0."]</c>).
/// </summary>
public sealed class BackpropApiException(int status, string title, string? detail, IReadOnlyDictionary<string, string[]> errors)
    : Exception(detail is null ? $"{status} {title}" : $"{status} {title}: {detail}")
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
