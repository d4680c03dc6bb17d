using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth;

/// <summary>One EC P-256 key with its RFC 7638 thumbprint as <c>kid</c>.</summary>
public sealed class SigningKey
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    public SigningKey(ECDsa ecdsa)
    {
        if (ecdsa.KeySize != 256)
        {
            throw new InvalidOperationException("The signing key must be an EC P-256 key.");
        }

        var point = ecdsa.ExportParameters(includePrivateParameters: false).Q;
        X = Base64UrlEncoder.Encode(point.X);
        Y = Base64UrlEncoder.Encode(point.Y);
        KeyId = Thumbprint(X, Y);
        SecurityKey = new ECDsaSecurityKey(ecdsa) { KeyId = KeyId };
    }

    public string KeyId { get; }

    public ECDsaSecurityKey SecurityKey { get; }

    public string X { get; }

    public string Y { get; }

    public SigningCredentials Credentials => new(SecurityKey, Algorithm);

    /// <summary>The public half as a JWK: never the private parameter.</summary>
    public PublicJwk ToPublicJwk() => new("EC", "P-256", X, Y, KeyId, "sig", "ES256");

    // RFC 7638 §3.2: the required members only, sorted, no whitespace.
    private static string Thumbprint(string x, string y) =>
        Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""")));
}

public sealed record PublicJwk(string Kty, string Crv, string X, string Y, string Kid, string Use, string Alg);
