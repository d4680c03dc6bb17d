using AgentSilo.Api.Auth.Keys;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth;

/// <summary>
/// The keys this API trusts, as the key files say now. Exactly one signs; every key in <see cref="ValidationKeys"/>
/// verifies, so a rotated-out key keeps validating the tokens it signed until they expire (see
/// <see cref="SigningKeySchedule"/>). The files are read again every reload interval, on the next use: rotation
/// needs no restart, and the instant a key activates or leaves is exact whatever the interval.
/// </summary>
public sealed class SigningKeyStore
{
    private readonly SigningKeyFiles _files;
    private readonly TimeProvider _time;
    private readonly TimeSpan _retention;
    private readonly TimeSpan _reloadInterval;
    private readonly Lock _reloadLock = new();
    private volatile Snapshot _snapshot;

    public SigningKeyStore(
        SigningKeyFiles files, IReadOnlyList<ScheduledKey> initial, TimeProvider time, TimeSpan retention, TimeSpan reloadInterval)
    {
        _files = files;
        _time = time;
        _retention = retention;
        _reloadInterval = reloadInterval;
        var now = time.GetUtcNow();
        _snapshot = new Snapshot(initial, now, SigningKeySchedule.At(initial, now, retention));
    }

    public SigningKey Current => Live().Signer;

    public IReadOnlyList<SigningKey> ValidationKeys => Live().Verifying;

    /// <summary>The key named by a token's <c>kid</c>; nothing for an unknown or missing kid (no key is guessed).</summary>
    public IEnumerable<SecurityKey> Resolve(string? keyId) =>
        keyId is not null && Live().Find(keyId) is { } key ? [key.SecurityKey] : [];

    private LiveKeys Live()
    {
        var now = _time.GetUtcNow();
        var snapshot = _snapshot;
        if (now - snapshot.ReadAt >= _reloadInterval && _reloadLock.TryEnter())
        {
            // One caller reads the files; the others go on with the keys they have.
            try
            {
                var keys = _files.Read(strict: false);
                snapshot = new Snapshot(keys, now, SigningKeySchedule.At(keys, now, _retention));
                _snapshot = snapshot;
            }
            finally
            {
                _reloadLock.Exit();
            }
        }

        if (now >= snapshot.Live.ComputedAt && now < snapshot.Live.ValidUntil)
        {
            return snapshot.Live;
        }

        var live = SigningKeySchedule.At(snapshot.Keys, now, _retention);

        // Never overwrite keys that another caller has just read from disk.
        Interlocked.CompareExchange(ref _snapshot, snapshot with { Live = live }, snapshot);
        return live;
    }

    private sealed record Snapshot(IReadOnlyList<ScheduledKey> Keys, DateTimeOffset ReadAt, LiveKeys Live);
}
