using System.Security.Claims;
using AgentSilo.Access;

namespace AgentSilo.Api.Auth;

/// <summary>The space-separated <c>scope</c> syntax of RFC 6749 §3.3.</summary>
public static class ScopeList
{
    /// <summary>
    /// Parses a requested scope. Null or blank means "all the role allows" (<paramref name="scopes"/> null);
    /// a name outside contract v1 fails.
    /// </summary>
    public static bool TryParse(string? raw, out string[]? scopes)
    {
        scopes = null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            return true;
        }

        var names = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (names.Any(name => !AccessScopes.All.Contains(name, StringComparer.Ordinal)))
        {
            return false;
        }

        scopes = AccessScopes.All.Where(names.Contains).ToArray();
        return true;
    }

    public static string Format(IEnumerable<string> scopes) => string.Join(' ', scopes);

    /// <summary>The scopes of an authenticated principal's token.</summary>
    public static string[] Of(ClaimsPrincipal user) =>
        user.FindFirst(ClaimNames.Scope)?.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
}
