using AgentSilo.Access;

namespace AgentSilo.Users;

/// <summary>
/// The API-key side of the user grain: the same activation as <see cref="IUserGrain"/> for the same user id, so key
/// hashes live in the user's state (DESIGN.md, decision 2) and a request with a key costs one grain call that also
/// takes the token from the owner's one quota bucket.
/// </summary>
public interface IUserApiKeys : IGrainWithStringKey
{
    /// <summary>
    /// Creates a key for the caller, who must be this user and must not be authenticated by an API key. Its scopes
    /// must lie within the caller's and never include <c>admin</c>. The secret is returned here only; the grain
    /// keeps its SHA-256.
    /// </summary>
    Task<CreatedApiKey> CreateApiKeyAsync(Caller caller, NewApiKey key);

    /// <summary>The caller's live keys, newest first, without secrets.</summary>
    Task<ApiKeyView[]> ListApiKeysAsync(Caller caller);

    /// <summary>Revokes one of the caller's keys; an unknown id is a <see cref="NotFoundException"/>.</summary>
    Task RevokeApiKeyAsync(Caller caller, string keyId);

    /// <summary>
    /// Decides whether a request with key <paramref name="keyId"/> and <paramref name="secret"/> may proceed: the key
    /// exists, is not expired and its owner is enabled. When <paramref name="takeQuotaToken"/> is set it takes one
    /// token from the owner's bucket, the one bearer tokens use too.
    /// </summary>
    Task<ApiKeyAdmission> AdmitApiKeyAsync(string keyId, string secret, bool takeQuotaToken);
}

[GenerateSerializer, Immutable, Alias("AgentSilo.NewApiKey")]
public sealed record NewApiKey(
    [property: Id(0)] string Name,
    [property: Id(1)] string[] Scopes,
    [property: Id(2)] DateTimeOffset? ExpiresAt);

/// <summary>What anyone may see of a key: never the secret or its hash.</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.ApiKeyView")]
public sealed record ApiKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string[] Scopes,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset? LastUsedAt);

/// <summary>A new key and its one-time secret; the API composes the key string the client holds.</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.CreatedApiKey")]
public sealed record CreatedApiKey(
    [property: Id(0)] ApiKeyView Key,
    [property: Id(1)] string Secret);

/// <summary>The outcome of <see cref="IUserApiKeys.AdmitApiKeyAsync"/>: on success, who the key acts as and with which scopes.</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.ApiKeyAdmission")]
public sealed record ApiKeyAdmission(
    [property: Id(0)] Admission Admission,
    [property: Id(1)] UserProfile? User = null,
    [property: Id(2)] string[]? Scopes = null);
