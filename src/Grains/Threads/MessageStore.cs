using System.Globalization;
using System.Text;
using AgentSilo.Grains.Storage;
using AgentSilo.Threads;
using Azure;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Threads;

/// <summary>
/// Messages in the <c>messages</c> table, one row per message in a partition per thread, keyed by the zero-padded
/// sequence number. Only the thread's grain writes its partition, and an append writes only the new rows, so its
/// cost does not grow with the thread (DESIGN.md, decision 3).
/// </summary>
public sealed class MessageStore(TableServiceClient tables)
{
    /// <summary>Characters per content property: a table string property holds 64 KiB of UTF-16.</summary>
    public const int ChunkLength = 16_000;

    private const int BatchSize = 100;

    private readonly TableClient _table = tables.GetTableClient(StorageTables.Messages);

    public static string RowKey(long seq) => seq.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Writes the messages of one partition in a single transaction: all of them are stored, or none.</summary>
    public async Task AppendAsync(string threadId, IReadOnlyList<MessageView> messages, CancellationToken cancellationToken = default)
    {
        // Upsert, not insert: a row left by a turn that crashed before it was counted is invisible and may be replaced.
        var actions = messages.Select(m => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(threadId, m)));
        foreach (var batch in actions.Chunk(BatchSize))
        {
            await _table.SubmitTransactionAsync(batch, cancellationToken);
        }
    }

    /// <summary>Messages with <paramref name="afterSeq"/> &lt; seq ≤ <paramref name="lastSeq"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<MessagePage> ReadPageAsync(string threadId, long afterSeq, long lastSeq, int limit, CancellationToken cancellationToken = default)
    {
        var items = await ReadRangeAsync(threadId, afterSeq, lastSeq, limit + 1, cancellationToken);
        var hasMore = items.Count > limit;
        return new MessagePage(hasMore ? items.Take(limit).ToArray() : items.ToArray(), hasMore);
    }

    public async Task<List<MessageView>> ReadRangeAsync(string threadId, long afterSeq, long lastSeq, int max, CancellationToken cancellationToken = default)
    {
        var result = new List<MessageView>();
        if (lastSeq <= afterSeq || max <= 0)
        {
            return result;
        }

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {threadId} and RowKey gt {RowKey(Math.Max(0, afterSeq))} and RowKey le {RowKey(lastSeq)}");
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            result.Add(ToView(threadId, entity));
            if (result.Count >= max)
            {
                break;
            }
        }

        return result;
    }

    public async Task DeleteAllAsync(string threadId, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {threadId}");
        var keys = new List<string>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(entity.RowKey);
        }

        foreach (var batch in keys.Chunk(BatchSize))
        {
            var actions = batch.Select(key =>
                new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(threadId, key), ETag.All));
            await _table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    private static TableEntity ToEntity(string threadId, MessageView message)
    {
        var entity = new TableEntity(threadId, RowKey(message.Seq))
        {
            ["Id"] = message.Id,
            ["Role"] = message.Role,
            ["Author"] = message.Author,
            ["CreatedAt"] = message.CreatedAt,
        };
        var chunk = 0;
        for (var start = 0; start < message.Content.Length; start += ChunkLength, chunk++)
        {
            entity[$"Content{chunk}"] = message.Content.Substring(start, Math.Min(ChunkLength, message.Content.Length - start));
        }

        entity["ContentChunks"] = chunk;
        if (message.Truncated)
        {
            entity["Truncated"] = true;
        }

        if (message.Flagged)
        {
            entity["Flagged"] = true;
        }

        return entity;
    }

    private static MessageView ToView(string threadId, TableEntity entity)
    {
        var chunks = entity.GetInt32("ContentChunks") ?? 0;
        var content = new StringBuilder();
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            content.Append(entity.GetString($"Content{chunk}"));
        }

        return new MessageView(
            entity.GetString("Id") ?? string.Empty,
            threadId,
            long.Parse(entity.RowKey, NumberStyles.None, CultureInfo.InvariantCulture),
            entity.GetString("Role") ?? string.Empty,
            entity.GetString("Author") ?? string.Empty,
            content.ToString(),
            entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            entity.GetBoolean("Truncated") ?? false,
            entity.GetBoolean("Flagged") ?? false);
    }
}
