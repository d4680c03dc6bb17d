using System.Diagnostics.CodeAnalysis;

namespace AgentSilo.Api.Auth;

/// <summary>
/// The key a client holds: <c>ask_{keyId}.{userId}.{secret}</c>. <c>ask_</c> makes a leaked key easy to recognise
/// (secret scanners, logs), <see cref="Prefix"/> names the key in lists so it can be found and revoked, the user id
/// routes the request to the one grain that holds the key's hash, and the secret (256 random bits) proves possession.
/// </summary>
public sealed record ApiKey(string KeyId, string UserId, string Secret)
{
    public const string Marker = "ask_";
    private const int KeyIdLength = 32;

    public string Prefix => PrefixOf(KeyId);

    public static string PrefixOf(string keyId) => Marker + keyId;

    public override string ToString() => $"{Prefix}.{UserId}.{Secret}";

    /// <summary>A key id as the user grain makes them: 32 lower-case hex digits (128 random bits).</summary>
    public static bool IsKeyId([NotNullWhen(true)] string? value) =>
        value is { Length: KeyIdLength } && value.All(char.IsAsciiHexDigitLower);

    /// <summary>Strict parse: the marker, then three well-formed parts, or nothing.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ApiKey? key)
    {
        key = null;
        if (value is null || !value.StartsWith(Marker, StringComparison.Ordinal)
            || !RefreshToken.TryParse(value[Marker.Length..], out var parts) || !IsKeyId(parts.UserId))
        {
            return false;
        }

        // The three-part syntax is the refresh token's; here the parts are key id, user id and secret.
        key = new ApiKey(parts.UserId, parts.SessionId, parts.Secret);
        return true;
    }
}
