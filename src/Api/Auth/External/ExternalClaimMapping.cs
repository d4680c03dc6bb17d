using System.Security.Claims;
using AgentSilo.Access;

namespace AgentSilo.Api.Auth.External;

/// <summary>How an external token's claims become a local user's roles, scopes and display names.</summary>
public static class ExternalClaimMapping
{
    private const int MaxUsernameLength = 64;
    private const int MaxDisplayNameLength = 100;

    /// <summary>The mapped local roles; the default role when nothing maps; none when the default is <c>none</c>.</summary>
    public static string[] Roles(ClaimsPrincipal token, ExternalIssuerOptions options)
    {
        var mapped = token.FindAll(options.RoleClaim)
            .Select(claim => options.RoleMap.GetValueOrDefault(claim.Value))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        if (mapped.Count == 0 && options.DefaultRole != ExternalIssuerOptions.NoRole)
        {
            mapped.Add(options.DefaultRole);
        }

        return AccessRoles.All.Where(mapped.Contains).ToArray();
    }

    /// <summary>
    /// The token's scopes that the roles allow, in canonical order. A token without the scope claim gets all that
    /// the roles allow (as a local token request without <c>scope</c> does); the provider's other scopes
    /// (<c>openid</c>, ...) are dropped.
    /// </summary>
    public static string[] Scopes(ClaimsPrincipal token, ExternalIssuerOptions options, string[] allowedByRoles)
    {
        var claims = token.FindAll(options.ScopeClaim).ToList();
        if (claims.Count == 0)
        {
            return allowedByRoles;
        }

        var granted = claims.SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        return allowedByRoles.Where(granted.Contains).ToArray();
    }

    /// <summary>
    /// <c>&lt;provider&gt;:&lt;name&gt;</c>. The colon cannot occur in a local username, so an external user never
    /// looks like a local one, and the name is never a key of the username index (no password sign-in).
    /// </summary>
    public static string Username(string provider, ClaimsPrincipal token, ExternalIssuerOptions options, string subject)
    {
        var raw = token.FindFirst(options.UsernameClaim)?.Value ?? subject;
        var cleaned = new string(raw.Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@').ToArray());
        var name = $"{provider}:{(cleaned.Length > 0 ? cleaned : "user")}";
        return name.Length <= MaxUsernameLength ? name : name[..MaxUsernameLength];
    }

    public static string DisplayName(ClaimsPrincipal token, string username)
    {
        var raw = token.FindFirst(ClaimNames.Name)?.Value;
        var cleaned = raw is null ? string.Empty : new string(raw.Where(c => !char.IsControl(c)).ToArray()).Trim();
        var name = cleaned.Length > 0 ? cleaned : username;
        return name.Length <= MaxDisplayNameLength ? name : name[..MaxDisplayNameLength];
    }
}
