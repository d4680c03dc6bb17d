using System.Security.Cryptography;
using System.Text;
using AgentSilo.Access;
using AgentSilo.Grains.Storage;
using AgentSilo.Threads;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Threads;

/// <summary>
/// Remembers each post made with an <c>Idempotency-Key</c> for 24 hours, however many there are, so that a retried post
/// returns the first answer instead of storing and running the turn again. A key is a row in its thread's partition
/// of the <c>messages</c> table (next to the messages it names, and erased with them), not a list in the grain state,
/// which every post writes and which must stay small.
/// </summary>
public sealed class IdempotencyLedger(TableServiceClient tables, MessageStore messages, TimeProvider time)
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    // Letters sort after the zero-padded sequence numbers, so message range queries never meet these rows.
    private const string RowPrefix = "idempotency-";

    private readonly TableClient _table = tables.GetTableClient(StorageTables.Messages);

    public static string HashContent(string content) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>
    /// The earlier post with this key, or null when there is none; throws when the key came with another body.
    /// <paramref name="committedSeq"/> is the thread's counted length: a row left by a post whose turn was never
    /// counted, or whose sequence numbers now hold other messages, is treated as never written. A post whose turn
    /// failed is returned only while nothing has been posted after it, so that its retry answers the same message.
    /// </summary>
    public async Task<EarlierPost?> FindAsync(string threadId, string? key, string contentHash, long committedSeq)
    {
        if (key is null)
        {
            return null;
        }

        if (!IdempotencyKeys.IsValid(key))
        {
            throw IdempotencyKeys.Invalid();
        }

        var row = await _table.GetEntityIfExistsAsync<TableEntity>(threadId, RowKeyFor(key));
        if (!row.HasValue || row.Value is not { } entity)
        {
            return null;
        }

        var firstSeq = entity.GetInt64("FirstSeq") ?? 0;
        var lastSeq = entity.GetInt64("LastSeq") ?? 0;
        var at = entity.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue;
        var answered = entity.GetBoolean("Answered") ?? true;
        if (at <= time.GetUtcNow() - Retention || firstSeq < 1 || lastSeq < firstSeq || lastSeq > committedSeq
            || (!answered && lastSeq != committedSeq))
        {
            return null;
        }

        if (entity.GetString("ContentHash") != contentHash)
        {
            throw new IdempotencyKeyReusedException("This Idempotency-Key was already used with a different request.");
        }

        var stored = await messages.ReadRangeAsync(threadId, firstSeq - 1, lastSeq, checked((int)(lastSeq - firstSeq + 1)));
        return stored.Count > 0 && stored[0].Id == entity.GetString("FirstMessageId") ? new EarlierPost([.. stored], answered) : null;
    }

    /// <summary>
    /// Records that the post with this key stored <paramref name="firstMessage"/> (the user's) up to
    /// <paramref name="lastSeq"/>, and whether its turn <paramref name="answered"/> it or failed.
    /// </summary>
    public async Task RememberAsync(string threadId, string? key, string contentHash, MessageView firstMessage, long lastSeq, bool answered)
    {
        if (key is null)
        {
            return;
        }

        var entity = new TableEntity(threadId, RowKeyFor(key))
        {
            ["ContentHash"] = contentHash,
            ["FirstSeq"] = firstMessage.Seq,
            ["FirstMessageId"] = firstMessage.Id,
            ["LastSeq"] = lastSeq,
            ["Answered"] = answered,
            ["At"] = time.GetUtcNow(),
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace);
    }

    // Hashed: keys may hold characters a row key may not ('/', '\', '#', '?').
    private static string RowKeyFor(string key) =>
        RowPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}

/// <summary>
/// What an earlier post with the same key stored: the user's message first, then what the agents wrote. When its turn
/// failed (<see cref="Answered"/> false) the retry runs the agents again on that same message instead of storing it twice.
/// </summary>
public sealed record EarlierPost(MessageView[] Messages, bool Answered)
{
    public MessageView UserMessage => Messages[0];
}
