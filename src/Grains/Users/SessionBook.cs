namespace AgentSilo.Grains.Users;

/// <summary>The rules of refresh-token families over a user's stored session list.</summary>
public sealed class SessionBook(List<SessionRecord> sessions, TimeProvider time)
{
    private const int MaxSessions = 50;
    private const int MaxUsedSecrets = 20;

    public enum RedeemOutcome
    {
        Unknown,
        Current,
        Rotated,
        Reused,
    }

    /// <summary>Opens a session and returns its one-time secret; drops expired and, past the cap, the oldest sessions.</summary>
    public (SessionRecord Session, string Secret) Open(string[] scopes, TimeSpan lifetime)
    {
        Prune();
        while (sessions.Count >= MaxSessions)
        {
            sessions.Remove(sessions.MinBy(s => s.CreatedAt)!);
        }

        var now = time.GetUtcNow();
        var (secret, hash) = RefreshSecrets.Create();
        var session = new SessionRecord
        {
            Id = RefreshSecrets.NewSessionId(),
            Scopes = scopes,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            SecretHash = hash,
        };
        sessions.Add(session);
        return (session, secret);
    }

    /// <summary>The live (unexpired) session with this id, or null.</summary>
    public SessionRecord? FindLive(string sessionId) =>
        sessions.FirstOrDefault(s => s.Id == sessionId && s.ExpiresAt > time.GetUtcNow());

    /// <summary>
    /// Redeems <paramref name="secret"/>: the current secret rotates to a new one; an already redeemed one means the
    /// token was stolen or replayed, so the whole family ends (RFC 9700 §4.14.2). With <paramref name="rotate"/>
    /// false the current secret is only recognised (<see cref="RedeemOutcome.Current"/>) and stays valid.
    /// </summary>
    public (RedeemOutcome Outcome, string? NewSecret) Redeem(SessionRecord session, string secret, bool rotate)
    {
        var hash = RefreshSecrets.Hash(secret);
        if (RefreshSecrets.HashEquals(hash, session.SecretHash))
        {
            if (!rotate)
            {
                return (RedeemOutcome.Current, null);
            }

            var (newSecret, newHash) = RefreshSecrets.Create();
            session.UsedSecretHashes.Add(session.SecretHash);
            if (session.UsedSecretHashes.Count > MaxUsedSecrets)
            {
                session.UsedSecretHashes.RemoveAt(0);
            }

            session.SecretHash = newHash;
            return (RedeemOutcome.Rotated, newSecret);
        }

        if (session.UsedSecretHashes.Any(used => RefreshSecrets.HashEquals(hash, used)))
        {
            sessions.Remove(session);
            return (RedeemOutcome.Reused, null);
        }

        return (RedeemOutcome.Unknown, null);
    }

    /// <summary>Ends the session when the secret is its current or a past one; returns whether it did.</summary>
    public bool Revoke(string sessionId, string secret)
    {
        var session = sessions.FirstOrDefault(s => s.Id == sessionId);
        if (session is null)
        {
            return false;
        }

        var hash = RefreshSecrets.Hash(secret);
        var known = RefreshSecrets.HashEquals(hash, session.SecretHash)
            || session.UsedSecretHashes.Any(used => RefreshSecrets.HashEquals(hash, used));
        return known && sessions.Remove(session);
    }

    public int Prune() => sessions.RemoveAll(s => s.ExpiresAt <= time.GetUtcNow());
}
