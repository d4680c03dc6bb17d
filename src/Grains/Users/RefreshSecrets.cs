using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace AgentSilo.Grains.Users;

/// <summary>Random refresh-token secrets; only their SHA-256 is stored, so a leaked state holds no usable token.</summary>
public static class RefreshSecrets
{
    public static (string Secret, string Hash) Create()
    {
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (secret, Hash(secret));
    }

    public static string Hash(string secret) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool HashEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    public static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
