namespace BackpropService.Api.Security;

/// <summary>
/// Optional API keys, bound from "Auth". Off when <see cref="ApiKeys"/> is empty (the default: a local
/// single-user run). With keys, every /api call and hub connection needs one, and each owner sees only its own
/// networks, datasets and jobs. Example: <c>Auth__ApiKeys__k-7f3a9c2e61=alice</c> in the environment.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>API key → owner name. Several keys may share one owner.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    public bool Enabled => ApiKeys.Count > 0;
}
