namespace BackpropService.Client.Models;

/// <summary>
/// Which jobs <c>GET /api/jobs</c> lists: by <see cref="Status"/>, by an exact <see cref="Tag"/>, by <see cref="Search"/>
/// text in the name or notes (ignoring case), newest first, <see cref="Limit"/> per page from <see cref="Cursor"/>.
/// </summary>
public sealed record JobListQuery
{
    public JobStatus? Status { get; init; }
    public string? Tag { get; init; }
    /// <summary>Sent as <c>q</c>.</summary>
    public string? Search { get; init; }
    public int? Limit { get; init; }
    public string? Cursor { get; init; }
}
