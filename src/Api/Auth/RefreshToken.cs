using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace AgentSilo.Api.Auth;

/// <summary>
/// The opaque refresh token a client holds: <c>{userId}.{sessionId}.{secret}</c>. The user id routes it to the one
/// grain that can check it; the secret is what proves possession.
/// </summary>
public sealed record RefreshToken(string UserId, string SessionId, string Secret)
{
    private const int MaxPartLength = 128;

    // The characters of base64url and of hex/N-format GUIDs: nothing that needs escaping, and no '.'.
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public override string ToString() => $"{UserId}.{SessionId}.{Secret}";

    public static bool IsWellFormedPart([NotNullWhen(true)] string? part) =>
        !string.IsNullOrEmpty(part) && part.Length <= MaxPartLength && !part.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Strict parse: exactly three non-empty parts of the allowed characters, or nothing.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out RefreshToken? token)
    {
        token = null;
        if (value is null || value.Length > 3 * MaxPartLength + 2)
        {
            return false;
        }

        var parts = value.Split('.');
        if (parts.Length != 3 || !parts.All(IsWellFormedPart))
        {
            return false;
        }

        token = new RefreshToken(parts[0], parts[1], parts[2]);
        return true;
    }
}
