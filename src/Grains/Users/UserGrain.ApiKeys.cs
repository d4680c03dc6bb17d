using AgentSilo.Access;
using AgentSilo.Users;
using Orleans.Runtime;

namespace AgentSilo.Grains.Users;

/// <summary>The user's API keys (<see cref="IUserApiKeys"/>): the same activation and state as the rest of the user.</summary>
public sealed partial class UserGrain : IUserApiKeys
{
    private ApiKeyBook Keys => new(User.ApiKeys, time);

    public async Task<CreatedApiKey> CreateApiKeyAsync(Caller caller, NewApiKey key)
    {
        EnsureKeyManager(caller);

        // What the caller's token holds and the roles still allow: a key never outranks the credential that made it.
        var grantable = AccessRoles.AllowedScopes(User.Roles).Intersect(caller.Scopes, StringComparer.Ordinal).ToArray();
        var (record, secret) = Keys.Create(key, grantable);
        await state.WriteStateAsync();
        return new CreatedApiKey(ApiKeyBook.View(record), secret);
    }

    public Task<ApiKeyView[]> ListApiKeysAsync(Caller caller)
    {
        EnsureKeyManager(caller);
        return Task.FromResult(Keys.List());
    }

    public async Task RevokeApiKeyAsync(Caller caller, string keyId)
    {
        EnsureKeyManager(caller);
        if (!Keys.Revoke(keyId))
        {
            throw new NotFoundException("No such API key.");
        }

        await state.WriteStateAsync();
    }

    public async Task<ApiKeyAdmission> AdmitApiKeyAsync(string keyId, string secret, bool takeQuotaToken)
    {
        var keys = Keys;
        var key = User.Exists && !User.Disabled ? keys.FindLive(keyId, secret) : null;
        if (key is null)
        {
            var quota = quotaOptions.Value.Capacity;
            return new ApiKeyAdmission(new Admission(AdmissionStatus.Unauthenticated, quota, 0, 0, 0, "The API key is not valid."));
        }

        if (keys.Touch(key))
        {
            await state.WriteStateAsync();
        }

        // Roles may have shrunk since the key was made: it never acts with more than they allow today.
        var allowedNow = AccessRoles.AllowedScopes(User.Roles);
        var scopes = key.Scopes.Where(scope => allowedNow.Contains(scope, StringComparer.Ordinal)).ToArray();
        return new ApiKeyAdmission(takeQuotaToken ? _bucket.Take() : _bucket.Peek(), Profile(), scopes);
    }

    // Only the user, with a credential other than an API key: a leaked key must not be able to mint or keep others.
    private void EnsureKeyManager(Caller caller)
    {
        if (!User.Exists || caller.UserId != this.GetPrimaryKeyString())
        {
            throw new ForbiddenException("API keys belong to their user alone.");
        }

        if (caller.AuthMethod == AuthMethods.ApiKey)
        {
            throw new ForbiddenException("An API key cannot manage API keys; use an access token.");
        }
    }
}
