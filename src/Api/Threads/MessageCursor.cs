using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AgentSilo.Access;

namespace AgentSilo.Api.Threads;

/// <summary>The message list cursor: the last <c>seq</c> a page held, base64url-encoded so clients treat it as opaque.</summary>
public static class MessageCursor
{
    public static string Encode(long seq) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(seq.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Where to start: after the cursor's seq, or after <c>?after=</c>, or from the beginning.</summary>
    public static long AfterSeq(string? cursor, long? after)
    {
        if (after is < 0)
        {
            throw new ValidationFailedException("after must be a non-negative integer.");
        }

        if (string.IsNullOrEmpty(cursor))
        {
            return after ?? 0;
        }

        if (after is not null)
        {
            throw new ValidationFailedException("Send either cursor or after, not both.");
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.Length <= 19 && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
            {
                return seq;
            }
        }
        catch (FormatException)
        {
        }

        throw new ValidationFailedException("cursor is not valid.");
    }
}
