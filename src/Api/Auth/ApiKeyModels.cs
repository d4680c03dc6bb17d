using System.Text.Json.Serialization;

namespace AgentSilo.Api.Auth;

/// <summary>
/// <c>POST /auth/api-keys</c>. <c>expiresAt</c> is read as text so that a malformed time is a 400 the handler words,
/// and unknown members (a server-owned <c>id</c>, <c>key</c>, <c>createdAt</c> ...) fail binding.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateApiKeyRequest(string? Name, string[]? Scopes, string? ExpiresAt);

/// <summary>The one answer that carries the key itself.</summary>
public sealed record CreatedApiKeyResponse(
    string Id, string Name, string Key, string Prefix, string[] Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);

public sealed record ApiKeyItem(
    string Id, string Name, string Prefix, string[] Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt);
