using System.Security.Cryptography;
using AgentSilo.Api.Auth;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Tests;

public sealed class SigningKeyLoaderTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "agentsilo-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static SigningKeyLoader Loader(string environment, string? path) => new(
        Options.Create(new AuthOptions { SigningKeyPath = path }),
        new HostingEnvironment { EnvironmentName = environment },
        TimeProvider.System,
        NullLogger<SigningKeyLoader>.Instance);

    [Fact]
    public void Outside_development_a_missing_key_refuses_to_start_naming_the_setting()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => Loader(Environments.Production, null).Load());
        Assert.Contains("Auth:SigningKeyPath", missing.Message);

        var absent = Assert.Throws<InvalidOperationException>(() => Loader(Environments.Production, Path.Combine(_directory, "none.pem")).Load());
        Assert.Contains("Auth:SigningKeyPath", absent.Message);
    }

    [Fact]
    public void In_development_a_missing_key_file_is_created_owner_only_and_reused()
    {
        var path = Path.Combine(_directory, "signing.pem");
        var first = Loader(Environments.Development, path).Load();

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.Equal(first.Current.KeyId, Loader(Environments.Production, path).Load().Current.KeyId);
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "p384.pem");
        using (var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384))
        {
            File.WriteAllText(path, p384.ExportPkcs8PrivateKeyPem());
        }

        var refused = Assert.Throws<InvalidOperationException>(() => Loader(Environments.Production, path).Load());
        Assert.Contains("Auth:SigningKeyPath", refused.Message);
    }

    [Fact]
    public void The_key_id_is_the_rfc_7638_thumbprint()
    {
        var key = new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var jwk = Microsoft.IdentityModel.Tokens.JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key.SecurityKey);
        Assert.Equal(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()), key.KeyId);
    }
}
