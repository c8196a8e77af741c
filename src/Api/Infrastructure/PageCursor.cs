using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace BackpropService.Api.Infrastructure;

/// <summary>An opaque position in a newest-first listing: the (createdAt, id) of the last item returned.</summary>
public sealed record PageCursor(DateTime CreatedAt, string Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture)}:{Id}"));

    public static bool TryDecode(string? text, out PageCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text)) return true;
        try
        {
            var raw = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var colon = raw.IndexOf(':');
            if (colon <= 0 || !long.TryParse(raw[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
                return false;
            cursor = new PageCursor(new DateTime(ticks, DateTimeKind.Utc), raw[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
