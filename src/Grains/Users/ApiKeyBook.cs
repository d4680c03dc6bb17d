using AgentSilo.Access;
using AgentSilo.Users;

namespace AgentSilo.Grains.Users;

/// <summary>The rules of a user's API keys over the stored key list: limits, expiry, and cheap last-used times.</summary>
public sealed class ApiKeyBook(List<ApiKeyRecord> keys, TimeProvider time)
{
    /// <summary>Live keys per user: enough to rotate without downtime, few enough to keep the user state small.</summary>
    public const int MaxKeys = 20;

    public const int MaxNameLength = 100;

    /// <summary>The longest lifetime a key may be given (an expiry is optional; without one the key lives until revoked).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>Last-used times are kept to this precision, so a busy key costs at most one state write per interval.</summary>
    public static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    /// <summary>Adds a key after checking the request; returns it with its one-time secret.</summary>
    public (ApiKeyRecord Key, string Secret) Create(NewApiKey request, IReadOnlyCollection<string> grantable)
    {
        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length is 0 or > MaxNameLength || !PlainText.IsLabel(name))
        {
            throw new ValidationFailedException(
                $"name is required: 1 to {MaxNameLength} characters, no control characters or bidirectional overrides.");
        }

        var scopes = Scopes(request.Scopes, grantable);
        var now = time.GetUtcNow();
        if (request.ExpiresAt is { } expiresAt && (expiresAt <= now || expiresAt > now + MaxLifetime))
        {
            throw new ValidationFailedException("expiresAt must be in the future and at most 366 days ahead.");
        }

        Prune();
        if (keys.Count >= MaxKeys)
        {
            throw new ConflictException($"A user may hold at most {MaxKeys} API keys; revoke one first.");
        }

        var (secret, hash) = RefreshSecrets.Create();
        var key = new ApiKeyRecord
        {
            Id = RefreshSecrets.NewSessionId(),
            Name = name,
            Scopes = scopes,
            CreatedAt = now,
            ExpiresAt = request.ExpiresAt?.ToUniversalTime(),
            SecretHash = hash,
        };
        keys.Add(key);
        return (key, secret);
    }

    public ApiKeyView[] List() =>
        keys.Where(IsLive).OrderByDescending(k => k.CreatedAt).Select(View).ToArray();

    /// <summary>Removes the key; false when there is no such key.</summary>
    public bool Revoke(string keyId) => keys.RemoveAll(k => k.Id == keyId) > 0;

    /// <summary>The live key with this id whose secret matches, or null.</summary>
    public ApiKeyRecord? FindLive(string keyId, string secret)
    {
        var key = keys.FirstOrDefault(k => k.Id == keyId);
        return key is not null && IsLive(key) && RefreshSecrets.HashEquals(RefreshSecrets.Hash(secret), key.SecretHash) ? key : null;
    }

    /// <summary>Records a use; true when the stored last-used time changed and must be written.</summary>
    public bool Touch(ApiKeyRecord key)
    {
        var now = time.GetUtcNow();
        if (key.LastUsedAt is { } last && now - last < LastUsedPrecision)
        {
            return false;
        }

        key.LastUsedAt = now;
        return true;
    }

    /// <summary>Drops expired keys; returns how many.</summary>
    public int Prune() => keys.RemoveAll(k => !IsLive(k));

    public static ApiKeyView View(ApiKeyRecord key) =>
        new(key.Id, key.Name, key.Scopes, key.CreatedAt, key.ExpiresAt, key.LastUsedAt);

    private bool IsLive(ApiKeyRecord key) => key.ExpiresAt is not { } expiresAt || expiresAt > time.GetUtcNow();

    // Within what the caller holds right now, known, never admin: a key is for services, not for administration.
    private static string[] Scopes(string[]? requested, IReadOnlyCollection<string> grantable)
    {
        if (requested is null || requested.Length == 0 || requested.Any(string.IsNullOrEmpty))
        {
            throw new ValidationFailedException("scopes must name at least one scope.");
        }

        if (requested.Contains(AccessScopes.Admin, StringComparer.Ordinal))
        {
            throw new ValidationFailedException("An API key cannot hold the admin scope.");
        }

        return ScopeGrant.Resolve(requested, grantable)
            ?? throw new ValidationFailedException("scopes must be within the scopes of the access token that creates the key.");
    }
}
