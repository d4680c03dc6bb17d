using AgentSilo.Access;

namespace AgentSilo.Threads;

/// <summary>
/// Lists threads from the thread index in storage (one row per thread, partitioned by owner), so that no single
/// activation sits on the path of every thread creation. A stateless worker: use key 0.
/// </summary>
public interface IThreadCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>The caller's own threads, newest first.</summary>
    Task<ThreadPage> ListOwnAsync(Caller caller, string? cursor, int limit);

    /// <summary>Every thread, or one owner's; admin callers only, audited once per call as <c>threads.list</c>.</summary>
    Task<ThreadPage> ListAllAsync(Caller caller, string? ownerId, string? cursor, int limit);
}

/// <summary>A page of threads; <see cref="NextCursor"/> is opaque and null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.ThreadPage")]
public sealed record ThreadPage(
    [property: Id(0)] ThreadView[] Items,
    [property: Id(1)] string? NextCursor);
