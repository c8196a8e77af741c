using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BackpropService.Api.Security;

/// <summary>
/// The configured keys as SHA-256 hashes (plain keys are hashed once per options instance, and a configuration
/// reload brings a new one), and the owner of a presented key, compared in constant time against every hash.
/// </summary>
public sealed class ApiKeyRing(IOptionsMonitor<ApiKeyOptions> options, ILogger<ApiKeyRing> logger)
{
    private Hashed? _hashed;

    public bool Enabled => options.CurrentValue.Enabled;

    public string? OwnerOf(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return null;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? owner = null;
        foreach (var (hash, name) in Keys())
            if (CryptographicOperations.FixedTimeEquals(given, hash))
                owner = name;
        return owner;
    }

    private (byte[] Hash, string Owner)[] Keys()
    {
        var current = options.CurrentValue;
        if (_hashed is { } hashed && ReferenceEquals(hashed.Options, current)) return hashed.Keys;
        var keys = current.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k.Value))
            .Select(k => (SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)), k.Value))
            .Concat(current.ApiKeyHashes.Where(k => !string.IsNullOrWhiteSpace(k.Value)).SelectMany(k => FromHex(k.Key, k.Value)))
            .ToArray();
        _hashed = new Hashed(current, keys);
        return keys;
    }

    private IEnumerable<(byte[], string)> FromHex(string hex, string owner)
    {
        if (hex.Length == 64 && hex.All(Uri.IsHexDigit)) return [(Convert.FromHexString(hex), owner)];
        // A malformed entry is a configuration mistake: say so once per load, and let no key match it.
        logger.LogError("Auth:ApiKeyHashes has an entry for owner {Owner} that is not 64 hex digits (a SHA-256); it is ignored.", owner);
        return [];
    }

    private sealed record Hashed(ApiKeyOptions Options, (byte[] Hash, string Owner)[] Keys);
}
