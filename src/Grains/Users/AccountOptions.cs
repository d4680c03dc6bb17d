namespace AgentSilo.Grains.Users;

/// <summary>Credential and session settings (configuration section <c>Auth</c>; the API reads its own keys from it too).</summary>
public sealed class AccountOptions
{
    public const string Section = "Auth";

    /// <summary>The OWASP 2023 floor for PBKDF2-HMAC-SHA256; a lower setting is refused at start.</summary>
    public const int MinimumPasswordHashIterations = 600_000;

    /// <summary>How long a sign-in session (a refresh-token family) lives, in days. Default 14.</summary>
    public int RefreshTokenDays { get; set; } = 14;

    /// <summary>PBKDF2 iterations for new password hashes; older hashes are upgraded at the next sign-in. Default 600,000.</summary>
    public int PasswordHashIterations { get; set; } = MinimumPasswordHashIterations;
}
