using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth;

/// <summary>The token rules every bearer scheme of this API shares (RFC 8725): one issuer, one audience, signed, expiring.</summary>
public static class StrictTokenValidation
{
    /// <summary>A token is accepted this long past its <c>exp</c> (the framework's default is 5 minutes).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static TokenValidationParameters For(string issuer, string audience, string[] algorithms) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        ValidAlgorithms = algorithms,
        ClockSkew = ClockSkew,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        // Only a key named by the token's kid is tried, and only from the scheme's own key set.
        TryAllIssuerSigningKeys = false,
        NameClaimType = ClaimNames.Name,
        RoleClaimType = ClaimNames.Roles,
    };
}
