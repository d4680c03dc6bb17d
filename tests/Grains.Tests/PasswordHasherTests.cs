using AgentSilo.Grains.Users;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Tests;

public sealed class PasswordHasherTests
{
    private const string Password = "correct horse battery";

    private static readonly PasswordHasher Hasher = new(Options.Create(new AccountOptions()));

    [Fact]
    public void A_hash_names_its_scheme_and_600000_iterations_and_does_not_hold_the_password()
    {
        var hash = Hasher.Hash(Password);

        var parts = hash.Split('$');
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.Equal("600000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.DoesNotContain(Password, hash);
        Assert.NotEqual(hash, Hasher.Hash(Password));
    }

    [Fact]
    public void Only_the_right_password_verifies()
    {
        var hash = Hasher.Hash(Password);

        Assert.True(Hasher.Verify(Password, hash, out var needsRehash));
        Assert.False(needsRehash);
        Assert.False(Hasher.Verify(Password + "!", hash, out _));
        Assert.False(Hasher.Verify(Password, "garbage", out _));
        Assert.False(Hasher.VerifyAgainstDummy(Password));
    }

    [Fact]
    public void A_hash_with_fewer_iterations_still_verifies_and_asks_for_a_rehash()
    {
        var salt = new byte[16];
        var derived = System.Security.Cryptography.Rfc2898DeriveBytes.Pbkdf2(
            System.Text.Encoding.UTF8.GetBytes(Password), salt, 1000, System.Security.Cryptography.HashAlgorithmName.SHA256, 32);
        var old = $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(derived)}";

        Assert.True(Hasher.Verify(Password, old, out var needsRehash));
        Assert.True(needsRehash);
    }
}
