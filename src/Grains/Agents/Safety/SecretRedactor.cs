using System.Text.RegularExpressions;

namespace AgentSilo.Grains.Agents.Safety;

/// <summary>
/// Removes secrets from what a model wrote before it is stored or sent: PEM private keys (signing keys), API keys
/// (OpenAI <c>sk-</c>, AWS, GitHub), storage connection string keys (<c>AccountKey=</c>, <c>SharedAccessSignature=</c>)
/// and JWTs.
/// </summary>
public static partial class SecretRedactor
{
    public const string Redacted = "[redacted]";

    public static string Redact(string text) => Secrets().Replace(text, match =>
        match.Groups["name"].Success ? match.Groups["name"].Value + Redacted : Redacted);

    /// <summary>
    /// How much of <paramref name="redacted"/> can be sent while the text is still being written: up to the last
    /// whitespace (a secret is one unbroken token, so the last token may still grow into one), and nothing from a
    /// <c>-----</c> on (it may open a private key block that is not complete yet).
    /// </summary>
    public static int SafeLength(string redacted)
    {
        var dashes = redacted.IndexOf("-----", StringComparison.Ordinal);
        var limit = dashes >= 0 ? dashes : redacted.Length;
        return limit == 0 ? 0 : redacted.LastIndexOfAny([' ', '\n', '\r', '\t'], limit - 1) + 1;
    }

    [GeneratedRegex(
        @"-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END[A-Z ]*PRIVATE KEY-----|$)" +
        @"|\bsk-[A-Za-z0-9_\-]{16,}" +
        @"|\bAKIA[0-9A-Z]{16}\b" +
        @"|\bgh[pousr]_[A-Za-z0-9]{30,}" +
        @"|(?<name>(AccountKey|SharedAccessSignature|SharedAccessKey)=)[^;\s""']+" +
        @"|\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",
        RegexOptions.CultureInvariant)]
    private static partial Regex Secrets();
}
