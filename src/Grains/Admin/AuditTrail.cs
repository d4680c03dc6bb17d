using AgentSilo.Admin;
using AgentSilo.Grains.Storage;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Admin;

/// <summary>
/// The append-only audit log in the <c>audit</c> table, newest first. It offers inserts and reads only: nothing in
/// the service can change or delete a record.
/// </summary>
public sealed class AuditTrail(TableServiceClient tables, TimeProvider time)
{
    private const string Partition = "audit";

    private readonly TableClient _table = tables.GetTableClient(StorageTables.Audit);

    public async Task<AuditRecord> AppendAsync(
        string actorId, string action, string? threadId, string? ownerId, string? reason, CancellationToken cancellationToken = default)
    {
        var record = new AuditRecord(Guid.NewGuid().ToString("N"), time.GetUtcNow(), actorId, action, threadId, ownerId, reason);
        var entity = new TableEntity(Partition, StorageTables.NewestFirstKey(record.At, record.Id))
        {
            ["Id"] = record.Id,
            ["At"] = record.At,
            ["ActorId"] = record.ActorId,
            ["Action"] = record.Action,
            ["ThreadId"] = record.ThreadId,
            ["OwnerId"] = record.OwnerId,
            ["Reason"] = record.Reason,
        };

        // AddEntity fails on an existing key instead of overwriting it: the log is insert-only by construction.
        await _table.AddEntityAsync(entity, cancellationToken);
        return record;
    }

    public async Task<AuditPage> ListAsync(
        string? actorId, string? threadId, string? cursor, int limit, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        if (!string.IsNullOrEmpty(actorId))
        {
            filter += " and " + TableClient.CreateQueryFilter($"ActorId eq {actorId}");
        }

        if (!string.IsNullOrEmpty(threadId))
        {
            filter += " and " + TableClient.CreateQueryFilter($"ThreadId eq {threadId}");
        }

        var page = await TablePaging.ReadPageAsync(_table, filter, cursor, limit, cancellationToken);
        return new AuditPage(page.Items.Select(ToRecord).ToArray(), page.NextCursor);
    }

    private static AuditRecord ToRecord(TableEntity entity) => new(
        entity.GetString("Id") ?? string.Empty,
        entity.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
        entity.GetString("ActorId") ?? string.Empty,
        entity.GetString("Action") ?? string.Empty,
        entity.GetString("ThreadId"),
        entity.GetString("OwnerId"),
        entity.GetString("Reason"));
}
