using System.Buffers.Text;
using System.Text;
using AgentSilo.Access;

namespace AgentSilo.Grains.Storage;

/// <summary>Wraps Azure Tables continuation tokens in an opaque, URL-safe cursor.</summary>
public static class TableCursor
{
    private const int MaxCursorLength = 2048;

    public static string? Encode(string? continuationToken) =>
        continuationToken is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(continuationToken));

    public static string? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        if (cursor.Length > MaxCursorLength || !Base64Url.IsValid(cursor))
        {
            throw new ValidationFailedException("The cursor is not valid.");
        }

        return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
    }

    /// <summary>Keeps a page size within 1..100 even if a caller skipped validation.</summary>
    public static int ClampLimit(int limit) => Math.Clamp(limit, 1, 100);
}
