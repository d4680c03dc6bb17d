using System.Security.Cryptography;
using System.Text;
using AgentSilo.Api.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Tests.Infrastructure;

/// <summary>Makes tokens that copy a real one's claims but break one rule each, to prove validation refuses them.</summary>
public sealed class TokenForge(ApiFactory factory, string genuineAccessToken)
{
    private readonly JsonWebToken _genuine = new(genuineAccessToken);

    public string Sign(SecurityKey key, string? issuer = null, string? audience = null, string type = "at+jwt",
        DateTime? expires = null, DateTime? notBefore = null)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(5);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? ApiFactory.Issuer,
            Audience = audience ?? ApiFactory.Audience,
            IssuedAt = (notBefore ?? expiry.AddMinutes(-10)),
            NotBefore = notBefore ?? expiry.AddMinutes(-10),
            Expires = expiry,
            TokenType = type,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = Claims(),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public SecurityKey RealKey => factory.Services.GetRequiredService<SigningKeyStore>().Current.SecurityKey;

    /// <summary>A fresh P-256 key that claims the real key's kid.</summary>
    public SecurityKey ImpostorKey => new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256))
    {
        KeyId = factory.Services.GetRequiredService<SigningKeyStore>().Current.KeyId,
    };

    public string Unsigned()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""");
        var payload = _genuine.EncodedPayload;
        return $"{header}.{payload}.";
    }

    private Dictionary<string, object> Claims() => new()
    {
        ["sub"] = _genuine.Subject,
        ["sid"] = _genuine.GetClaim("sid").Value,
        ["scope"] = _genuine.GetClaim("scope").Value,
        ["name"] = _genuine.GetClaim("name").Value,
        ["roles"] = new[] { "user" },
        ["jti"] = Convert.ToHexString(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())),
        ["client_id"] = "agentsilo",
    };
}
