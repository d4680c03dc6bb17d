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
