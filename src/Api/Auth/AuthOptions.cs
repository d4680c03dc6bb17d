using System.ComponentModel.DataAnnotations;

namespace AgentSilo.Api.Auth;

/// <summary>The <c>Auth</c> configuration section: who issues tokens, for whom, and how they are signed.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The <c>iss</c> of every token this API signs and the only issuer it accepts.</summary>
    [Required, Url]
    public string Issuer { get; set; } = "http://localhost:5080";

    /// <summary>The <c>aud</c> of every token this API signs and the only audience it accepts.</summary>
    [Required, MinLength(1)]
    public string Audience { get; set; } = "agentsilo-api";

    /// <summary>PEM file with the EC P-256 private key that signs access tokens.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// Optional folder of rotation keys, each a PEM EC P-256 private key named by the UTC instant it starts signing
    /// (<c>yyyyMMddTHHmmssZ.pem</c>). Keys are published in the JWKS as soon as they are seen; the previous key keeps
    /// validating for <see cref="AccessTokenMinutes"/> plus 30 s after the next one activates, then leaves.
    /// </summary>
    public string? SigningKeysDirectory { get; set; }

    /// <summary>How often the key files are read again, in seconds (the next request after that reads them).</summary>
    [Range(1, 3600)]
    public int SigningKeysReloadSeconds { get; set; } = 30;

    /// <summary>Lifetime of an access token.</summary>
    [Range(1, 24 * 60)]
    public int AccessTokenMinutes { get; set; } = 15;

    /// <summary>Whether <c>POST /auth/register</c> exists.</summary>
    public bool AllowRegistration { get; set; } = true;
}

/// <summary>The <c>RateLimiting:Login</c> section: guesses allowed per client address and per username.</summary>
public sealed class LoginRateLimitOptions
{
    public const string Section = "RateLimiting:Login";

    [Range(1, 100_000)]
    public int PermitsPerMinute { get; set; } = 10;
}
