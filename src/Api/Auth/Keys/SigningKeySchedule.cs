namespace AgentSilo.Api.Auth.Keys;

/// <summary>
/// A signing key and the instant it starts signing. The base key (<c>Auth:SigningKeyPath</c>) has no activation
/// time: it signs until the first key of <c>Auth:SigningKeysDirectory</c> activates.
/// </summary>
public sealed record ScheduledKey(SigningKey Key, DateTimeOffset? ActivatesAt);

/// <summary>The keys in force at one instant: the one that signs and every one that still verifies.</summary>
public sealed class LiveKeys
{
    private readonly Dictionary<string, SigningKey> _byKeyId;

    public LiveKeys(SigningKey signer, IReadOnlyList<SigningKey> verifying, DateTimeOffset computedAt, DateTimeOffset validUntil)
    {
        Signer = signer;
        Verifying = verifying;
        ComputedAt = computedAt;
        ValidUntil = validUntil;
        _byKeyId = verifying.ToDictionary(key => key.KeyId, StringComparer.Ordinal);
    }

    public SigningKey Signer { get; }

    /// <summary>The keys in the JWKS and the only ones that validate: the signer, retiring keys, announced keys.</summary>
    public IReadOnlyList<SigningKey> Verifying { get; }

    public DateTimeOffset ComputedAt { get; }

    /// <summary>The next instant at which a key activates or leaves; the set holds until then.</summary>
    public DateTimeOffset ValidUntil { get; }

    public SigningKey? Find(string keyId) => _byKeyId.GetValueOrDefault(keyId);
}

/// <summary>
/// Which keys sign and verify at a given instant. Keys are ordered by activation; the last one already active
/// signs. Each earlier key retired when the next one activated and keeps verifying for <c>retention</c> after
/// that (the access token lifetime plus the validator's clock skew), so every token it signed can still be used;
/// then it leaves. Keys that activate later are announced (published and verifying) but do not sign yet.
/// </summary>
public static class SigningKeySchedule
{
    public static LiveKeys At(IReadOnlyList<ScheduledKey> keys, DateTimeOffset now, TimeSpan retention)
    {
        // The same key in two files counts once, at its earliest activation.
        var ordered = keys.OrderBy(Activation).DistinctBy(key => key.Key.KeyId, StringComparer.Ordinal).ToList();
        var signer = ordered.FindLastIndex(key => Activation(key) <= now);
        if (signer < 0)
        {
            throw new InvalidOperationException("No signing key is active: the base key (Auth:SigningKeyPath) is missing.");
        }

        var verifying = new List<SigningKey>();
        var validUntil = DateTimeOffset.MaxValue;
        for (var i = 0; i < ordered.Count; i++)
        {
            if (i > signer)
            {
                // Announced: it joins the signers at its activation.
                verifying.Add(ordered[i].Key);
                validUntil = Min(validUntil, Activation(ordered[i]));
                continue;
            }

            if (i == signer)
            {
                verifying.Add(ordered[i].Key);
                continue;
            }

            var leavesAt = Activation(ordered[i + 1]) + retention;
            if (now < leavesAt)
            {
                verifying.Add(ordered[i].Key);
                validUntil = Min(validUntil, leavesAt);
            }
        }

        return new LiveKeys(ordered[signer].Key, verifying, now, validUntil);
    }

    private static DateTimeOffset Activation(ScheduledKey key) => key.ActivatesAt ?? DateTimeOffset.MinValue;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
