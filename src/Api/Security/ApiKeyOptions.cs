namespace BackpropService.Api.Security;

/// <summary>
/// Optional API keys, bound from "Auth". Off when none is configured (the default: a local single-user run). With
/// keys, every /api call and hub connection needs one, and each owner sees only its own networks, datasets and
/// jobs. Prefer <see cref="ApiKeyHashes"/>, so that configuration holds no key that could be used as it is.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>
    /// SHA-256 of the key's UTF-8 bytes, as 64 hex digits (either case) → owner name, e.g.
    /// <c>Auth__ApiKeyHashes__3f1c…9a=alice</c>. Mint one with <c>openssl rand -hex 32</c> and hash it with
    /// <c>printf %s "$KEY" | sha256sum</c> (README, "API keys").
    /// </summary>
    public Dictionary<string, string> ApiKeyHashes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Plain API key → owner name, for local trials and tests. Several keys may share one owner.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    public bool Enabled => ApiKeys.Count > 0 || ApiKeyHashes.Count > 0;
}
