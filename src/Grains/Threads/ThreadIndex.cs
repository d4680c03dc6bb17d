using AgentSilo.Grains.Storage;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Threads;

/// <summary>
/// The <c>threadindex</c> table: one row per thread in its owner's partition, newest first, so listing a user's
/// threads is one partition query and no single activation sits on every thread creation.
/// </summary>
public sealed class ThreadIndex(TableServiceClient tables)
{
    private readonly TableClient _table = tables.GetTableClient(StorageTables.ThreadIndex);

    public static string RowKeyFor(DateTimeOffset createdAt, string threadId) => StorageTables.NewestFirstKey(createdAt, threadId);

    public async Task AddAsync(string ownerId, string threadId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(ownerId, RowKeyFor(createdAt, threadId)) { ["ThreadId"] = threadId };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveAsync(string ownerId, string threadId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        // Deleting a row that is already gone succeeds, so a retried delete is harmless.
        await _table.DeleteEntityAsync(ownerId, RowKeyFor(createdAt, threadId), cancellationToken: cancellationToken);
    }

    /// <summary>Thread ids, newest first, of one owner or (with a null owner) of everyone.</summary>
    public async Task<(string[] ThreadIds, string? NextCursor)> ListAsync(
        string? ownerId, string? cursor, int limit, CancellationToken cancellationToken = default)
    {
        var filter = ownerId is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {ownerId}");
        var (items, next) = await TablePaging.ReadPageAsync(_table, filter, cursor, limit, cancellationToken);
        return (items.Select(e => e.GetString("ThreadId") ?? string.Empty).Where(id => id.Length > 0).ToArray(), next);
    }
}
