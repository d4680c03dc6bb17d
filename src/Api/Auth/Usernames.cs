namespace AgentSilo.Api.Auth;

public static class Usernames
{
    /// <summary>Longer names are refused before any grain is addressed by them.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// The username index key: trimmed and lower-case invariant, exactly as the username grain normalizes, since it
    /// refuses to register a name under any other key.
    /// </summary>
    public static string Normalize(string username) => username.Trim().ToLowerInvariant();
}
