using System.Security.Cryptography;
using AgentSilo.Api.Auth.Keys;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Auth;

/// <summary>
/// Loads the signing keys from <c>Auth:SigningKeyPath</c> and <c>Auth:SigningKeysDirectory</c>, or makes a
/// development key (DESIGN.md, decision 7).
/// </summary>
public sealed partial class SigningKeyLoader(
    IOptions<AuthOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<SigningKeyLoader> logger)
{
    public SigningKeyStore Load()
    {
        var auth = options.Value;
        var path = auth.SigningKeyPath;
        SigningKey? ephemeral = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "No signing key: set Auth:SigningKeyPath to a PEM file holding an EC P-256 private key.");
            }

            LogEphemeralKey(logger);
            ephemeral = new SigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
            path = null;
        }
        else if (!File.Exists(path) && environment.IsDevelopment())
        {
            CreateKeyFile(path);
            LogCreatedKey(logger, path);
        }

        var files = new SigningKeyFiles(path, ephemeral, auth.SigningKeysDirectory, logger);
        var retention = TimeSpan.FromMinutes(auth.AccessTokenMinutes) + StrictTokenValidation.ClockSkew;
        return new SigningKeyStore(
            files, files.Read(strict: true), time, retention, TimeSpan.FromSeconds(auth.SigningKeysReloadSeconds));
    }

    private static void CreateKeyFile(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Owner read/write only, set at creation so the private key is never readable by others, not even briefly.
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, streamOptions);
        writer.Write(ecdsa.ExportPkcs8PrivateKeyPem());
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Auth:SigningKeyPath is not set: signing with an ephemeral key; tokens stop validating when the process ends")]
    private static partial void LogEphemeralKey(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created a development signing key at {Path}")]
    private static partial void LogCreatedKey(ILogger logger, string path);
}
