using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Users;

/// <summary>
/// PBKDF2-HMAC-SHA256 password hashes stored as <c>pbkdf2-sha256$iterations$salt$hash</c> (base64), so that the
/// cost can be raised later and old hashes are still readable.
/// </summary>
public sealed class PasswordHasher
{
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly int _iterations;
    private readonly string _dummyHash;

    public PasswordHasher(IOptions<AccountOptions> options)
    {
        _iterations = options.Value.PasswordHashIterations;

        // Checked against when the user is unknown, so that an unknown name costs as much as a wrong password.
        _dummyHash = Format(_iterations, RandomNumberGenerator.GetBytes(SaltBytes), RandomNumberGenerator.GetBytes(HashBytes));
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return Format(_iterations, salt, Derive(password, salt, _iterations));
    }

    /// <summary>Whether <paramref name="password"/> matches; <paramref name="needsRehash"/> says the stored cost is below the current one.</summary>
    public bool Verify(string password, string stored, out bool needsRehash)
    {
        needsRehash = false;
        var parts = stored.Split('$');
        if (parts.Length != 4
            || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        var actual = Derive(password, salt, iterations);
        var matches = CryptographicOperations.FixedTimeEquals(actual, expected);
        needsRehash = matches && iterations < _iterations;
        return matches;
    }

    /// <summary>Spends the cost of one verification and fails: the answer for an unknown user.</summary>
    public bool VerifyAgainstDummy(string password) => Verify(password, _dummyHash, out _);

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    private static string Format(int iterations, byte[] salt, byte[] hash) =>
        string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
}
