namespace AgentSilo.Grains.Users;

/// <summary>The stored state of one user (grain storage <c>users</c>). Its size is bounded: sessions and API keys are capped.</summary>
public sealed class UserState
{
    public bool Exists { get; set; }

    public string Username { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    public string[] Roles { get; set; } = [];

    public bool Disabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string PasswordHash { get; set; } = string.Empty;

    public List<SessionRecord> Sessions { get; set; } = [];

    public List<ApiKeyRecord> ApiKeys { get; set; } = [];

    /// <summary>For a user of an external provider: the <c>iss</c> and <c>sub</c> it signs in with; null otherwise.</summary>
    public string? ExternalIssuer { get; set; }

    public string? ExternalSubject { get; set; }

    /// <summary>The last logout-all, in whole seconds: external tokens issued at or before it are refused.</summary>
    public DateTimeOffset? SessionsValidAfter { get; set; }
}

/// <summary>One refresh-token family: the secret that may be redeemed next and the ones already redeemed.</summary>
public sealed class SessionRecord
{
    public string Id { get; set; } = string.Empty;

    public string[] Scopes { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string SecretHash { get; set; } = string.Empty;

    public List<string> UsedSecretHashes { get; set; } = [];
}

/// <summary>One API key: only the SHA-256 of its secret is stored.</summary>
public sealed class ApiKeyRecord
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string[] Scopes { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public string SecretHash { get; set; } = string.Empty;
}

/// <summary>The stored state of one username index entry (grain storage <c>users</c>).</summary>
public sealed class UsernameState
{
    public string? UserId { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }
}
