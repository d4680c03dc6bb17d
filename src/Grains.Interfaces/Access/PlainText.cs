namespace AgentSilo.Access;

/// <summary>
/// What text the service stores. Control characters have no business in chat text and can forge log lines or
/// terminal output; bidirectional overrides can make a title or a name read as something else ("Trojan source").
/// </summary>
public static class PlainText
{
    /// <summary>Names, titles and metadata: one line, no control characters, no bidirectional overrides or isolates.</summary>
    public static void EnsureLabel(string value, string field)
    {
        if (!IsLabel(value))
        {
            throw new ValidationFailedException($"The {field} may not contain control characters or bidirectional overrides.");
        }
    }

    /// <summary>Whether <paramref name="value"/> has no control characters and no bidirectional overrides or isolates.</summary>
    public static bool IsLabel(string value) => !value.Any(c => char.IsControl(c) || IsBidiControl(c));

    /// <summary>Message text: line breaks and tabs are fine, other control characters are not.</summary>
    public static void EnsureMessage(string value, string field)
    {
        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw new ValidationFailedException($"The {field} may not contain control characters other than line breaks and tabs.");
        }
    }

    /// <summary>The bidirectional embedding, override and isolate controls (U+202A..U+202E, U+2066..U+2069).</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
