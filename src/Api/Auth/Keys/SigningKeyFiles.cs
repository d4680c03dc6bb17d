using System.Globalization;
using System.Security.Cryptography;

namespace AgentSilo.Api.Auth.Keys;

/// <summary>
/// Reads the signing keys from disk: the base key file (<c>Auth:SigningKeyPath</c>) and the rotation directory
/// (<c>Auth:SigningKeysDirectory</c>), whose files are named by the UTC instant they start signing,
/// <c>yyyyMMddTHHmmssZ.pem</c> (for example <c>20261205T000000Z.pem</c>). Other file names are ignored, so a key
/// can be written under a temporary name and renamed into place. A file is parsed again only when it changes.
/// </summary>
public sealed partial class SigningKeyFiles(string? basePath, SigningKey? fixedBase, string? directory, ILogger logger)
{
    public const string ActivationFormat = "yyyyMMdd'T'HHmmss'Z'";

    private readonly Dictionary<string, (DateTime Written, long Length, SigningKey Key)> _parsed = new(StringComparer.Ordinal);
    private SigningKey? _lastBase = fixedBase;

    /// <summary>
    /// The keys on disk now. With <paramref name="strict"/> (at start) an unreadable key stops the service; later a
    /// bad file is logged and skipped, and a base key that cannot be read keeps its last good value, so a rotation
    /// caught half way never takes the service down.
    /// </summary>
    public IReadOnlyList<ScheduledKey> Read(bool strict)
    {
        // The directory first, then the base key: moving a directory key over the base file is then never missed.
        var keys = new List<ScheduledKey>();
        foreach (var (path, activatesAt) in DirectoryKeys(strict))
        {
            if (TryRead(path, strict, "Auth:SigningKeysDirectory") is { } key)
            {
                keys.Add(new ScheduledKey(key, activatesAt));
            }
        }

        if (basePath is not null)
        {
            _lastBase = TryRead(basePath, strict, "Auth:SigningKeyPath") ?? _lastBase;
        }

        keys.Add(new ScheduledKey(_lastBase ?? throw new InvalidOperationException("No base signing key."), null));
        return keys;
    }

    private IEnumerable<(string Path, DateTimeOffset ActivatesAt)> DirectoryKeys(bool strict)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            return [];
        }

        if (!Directory.Exists(directory))
        {
            if (strict)
            {
                throw new InvalidOperationException($"Auth:SigningKeysDirectory '{directory}' does not exist.");
            }

            LogMissingDirectory(logger, directory);
            return [];
        }

        var found = new List<(string, DateTimeOffset)>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(".pem", StringComparison.Ordinal) && DateTimeOffset.TryParseExact(
                    name[..^4], ActivationFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var activatesAt))
            {
                found.Add((path, activatesAt));
            }
            else
            {
                LogIgnoredFile(logger, path);
            }
        }

        return found;
    }

    private SigningKey? TryRead(string path, bool strict, string setting)
    {
        try
        {
            var info = new FileInfo(path);
            if (_parsed.TryGetValue(path, out var cached) && info.Exists
                && cached.Written == info.LastWriteTimeUtc && cached.Length == info.Length)
            {
                return cached.Key;
            }

            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(File.ReadAllText(path));
            var key = new SigningKey(ecdsa);
            _parsed[path] = (info.LastWriteTimeUtc, info.Length, key);
            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException
                                       or InvalidOperationException)
        {
            if (strict)
            {
                throw new InvalidOperationException(
                    $"{setting}: '{path}' does not hold a readable PEM EC P-256 private key: {e.Message}", e);
            }

            LogUnreadable(logger, path, e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signing key {Path} could not be read and is not used: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth:SigningKeysDirectory {Directory} does not exist; only the base key is used")]
    private static partial void LogMissingDirectory(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring {Path}: signing key files are named yyyyMMddTHHmmssZ.pem")]
    private static partial void LogIgnoredFile(ILogger logger, string path);
}
