using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth;

/// <summary>
/// The keys this API trusts. Exactly one signs; every key in <see cref="ValidationKeys"/> verifies, so a rotated-out
/// key keeps validating the tokens it signed until they expire.
/// </summary>
public sealed class SigningKeyStore
{
    private readonly Dictionary<string, SigningKey> _byKeyId;

    public SigningKeyStore(SigningKey current, IEnumerable<SigningKey>? retired = null)
    {
        Current = current;
        ValidationKeys = [current, .. retired ?? []];
        _byKeyId = ValidationKeys.ToDictionary(key => key.KeyId, StringComparer.Ordinal);
    }

    public SigningKey Current { get; }

    public IReadOnlyList<SigningKey> ValidationKeys { get; }

    /// <summary>The key named by a token's <c>kid</c>; nothing for an unknown or missing kid (no key is guessed).</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId) =>
        keyId is not null && _byKeyId.TryGetValue(keyId, out var key) ? [key.SecurityKey] : [];
}
