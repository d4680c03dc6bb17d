using AgentSilo.Access;

namespace AgentSilo.Admin;

/// <summary>Reads the append-only audit log. Admin callers only. A stateless worker: use key 0.</summary>
public interface IAuditGrain : IGrainWithIntegerKey
{
    /// <summary>Audit records, newest first, optionally for one actor or one thread.</summary>
    Task<AuditPage> ListAsync(Caller caller, string? actorId, string? threadId, string? cursor, int limit);
}

[GenerateSerializer, Immutable, Alias("AgentSilo.AuditRecord")]
public sealed record AuditRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string ActorId,
    [property: Id(3)] string Action,
    [property: Id(4)] string? ThreadId,
    [property: Id(5)] string? OwnerId,
    [property: Id(6)] string? Reason);

[GenerateSerializer, Immutable, Alias("AgentSilo.AuditPage")]
public sealed record AuditPage(
    [property: Id(0)] AuditRecord[] Items,
    [property: Id(1)] string? NextCursor);

/// <summary>The action names written to the audit log.</summary>
public static class AuditActions
{
    public const string ThreadsList = "threads.list";
    public const string ThreadRead = "threads.read";
    public const string ThreadMessagesRead = "threads.messages.read";
    public const string ThreadDelete = "threads.delete";
    public const string UserDisable = "users.disable";
    public const string UserEnable = "users.enable";
}
