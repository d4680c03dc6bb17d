using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Security.Infrastructure;

/// <summary>
/// Builds JWS compact tokens by hand, so an attack can say exactly what goes into header, payload and signature
/// (repeated members included, which no JWT library writes). The claims start as a copy of a genuine token's.
/// </summary>
public sealed class Forge
{
    private readonly JsonWebToken _genuine;

    public Forge(string genuineAccessToken, string issuer, string audience)
    {
        _genuine = new JsonWebToken(genuineAccessToken);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Header = new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = _genuine.Kid };
        Payload = new JsonObject
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = _genuine.Subject,
            ["sid"] = _genuine.GetClaim("sid").Value,
            ["scope"] = _genuine.GetClaim("scope").Value,
            ["name"] = _genuine.GetClaim("name").Value,
            ["roles"] = new JsonArray("user"),
            ["client_id"] = "agentsilo",
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 300,
        };
    }

    public JsonObject Header { get; }

    public JsonObject Payload { get; }

    public string Kid => _genuine.Kid;

    public string HeaderJson => Header.ToJsonString();

    public string PayloadJson => Payload.ToJsonString();

    /// <summary>ES256 (JWS §3.4: r||s, which is .NET's default IEEE P1363 format).</summary>
    public static string SignEs256(string headerJson, string payloadJson, ECDsa key)
    {
        var input = SigningInput(headerJson, payloadJson);
        return $"{input}.{Base64UrlEncoder.Encode(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256))}";
    }

    public static string SignHs256(string headerJson, string payloadJson, byte[] secret)
    {
        var input = SigningInput(headerJson, payloadJson);
        return $"{input}.{Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)))}";
    }

    public static string Unsigned(string headerJson, string payloadJson) => SigningInput(headerJson, payloadJson) + ".";

    public string SignEs256(ECDsa key) => SignEs256(HeaderJson, PayloadJson, key);

    private static string SigningInput(string headerJson, string payloadJson) =>
        $"{Base64UrlEncoder.Encode(headerJson)}.{Base64UrlEncoder.Encode(payloadJson)}";
}
