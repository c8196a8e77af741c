using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace BackpropService.Api.Infrastructure;

/// <summary>
/// An opaque position in a ranked listing (a sweep's leaderboard): how many items came before. A ranking changes as
/// trials end, so no key of the last item would stay in place either; the offset at least never skips a page.
/// </summary>
public static class OffsetCursor
{
    private const string Prefix = "o:";

    public static string Encode(int offset) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The offset in <paramref name="text"/> (0 without a cursor); false when it is not a cursor we returned.</summary>
    public static bool TryDecode(string? text, out int offset)
    {
        offset = 0;
        if (string.IsNullOrEmpty(text)) return true;
        try
        {
            var raw = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            return raw.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(raw.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
