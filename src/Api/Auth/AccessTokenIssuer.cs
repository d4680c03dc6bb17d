using System.Security.Cryptography;
using AgentSilo.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth;

/// <summary>Signs RFC 9068 access tokens (<c>typ: at+jwt</c>) with the store's current key.</summary>
public sealed class AccessTokenIssuer(SigningKeyStore keys, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string TokenType = "at+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.AccessTokenMinutes);

    public string Issue(UserProfile user, string sessionId, string[] scopes, string clientId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            TokenType = TokenType,
            SigningCredentials = keys.Current.Credentials,
            Claims = new Dictionary<string, object>
            {
                [ClaimNames.Subject] = user.UserId,
                [ClaimNames.TokenId] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
                [ClaimNames.ClientId] = clientId,
                [ClaimNames.Scope] = ScopeList.Format(scopes),
                [ClaimNames.Roles] = user.Roles,
                [ClaimNames.Name] = user.Username,
                [ClaimNames.Session] = sessionId,
            },
        };
        return Handler.CreateToken(descriptor);
    }
}
