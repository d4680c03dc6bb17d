using System.Security.Cryptography;
using System.Text;
using AgentSilo.Access;

namespace AgentSilo.Grains.Threads;

/// <summary>
/// Remembers recent posts by <c>Idempotency-Key</c> (24 hours, a bounded number) so that a retried post returns the
/// first answer instead of storing and running the turn again.
/// </summary>
public sealed class IdempotencyLedger(List<IdempotencyEntry> entries, TimeProvider time)
{
    public const int MaxKeyLength = 128;
    private const int MaxEntries = 100;
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public static string HashContent(string content) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>The earlier post with this key, or null; throws when the key came with another body.</summary>
    public IdempotencyEntry? Find(string? key, string contentHash)
    {
        if (key is null)
        {
            return null;
        }

        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c is < '!' or > '~'))
        {
            throw new ValidationFailedException($"The Idempotency-Key must be 1 to {MaxKeyLength} printable characters.");
        }

        var cutoff = time.GetUtcNow() - Retention;
        var entry = entries.FirstOrDefault(e => e.Key == key && e.At > cutoff);
        if (entry is not null && entry.ContentHash != contentHash)
        {
            throw new IdempotencyKeyReusedException("This Idempotency-Key was already used with a different request.");
        }

        return entry;
    }

    public void Remember(string? key, string contentHash, long firstSeq, long lastSeq)
    {
        if (key is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        entries.RemoveAll(e => e.At <= now - Retention || e.Key == key);
        while (entries.Count >= MaxEntries)
        {
            entries.RemoveAt(0);
        }

        entries.Add(new IdempotencyEntry { Key = key, ContentHash = contentHash, FirstSeq = firstSeq, LastSeq = lastSeq, At = now });
    }
}
