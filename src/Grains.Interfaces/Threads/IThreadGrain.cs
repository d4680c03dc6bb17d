using Orleans.Concurrency;
using AgentSilo.Access;

namespace AgentSilo.Threads;

/// <summary>
/// One conversation (key: the thread id, 128-bit random). The grain checks every call against its owner:
/// the owner may do everything; an admin caller (role and scope admin) may read and delete, and each such
/// access is audited; anyone else gets <see cref="NotFoundException"/>, the same as a thread that does not exist.
/// </summary>
public interface IThreadGrain : IGrainWithStringKey
{
    /// <summary>Creates the thread owned by <paramref name="caller"/>. Validates title, agents and metadata.</summary>
    Task<ThreadView> CreateAsync(Caller caller, NewThread request);

    [AlwaysInterleave]
    Task<ThreadView> GetAsync(Caller caller);

    Task<ThreadView> UpdateAsync(Caller caller, ThreadPatch patch);

    /// <summary>
    /// Deletes the thread, its messages and its index entry. Interleaves so that it can stop a running turn (whose
    /// post then answers not found) instead of waiting for it.
    /// </summary>
    [AlwaysInterleave]
    Task DeleteAsync(Caller caller);

    /// <summary>
    /// Stores the owner's message, runs the agent team and stores each reply. Only the owner may post.
    /// Returns the user's message first, then the replies in order. A post while a turn is running is refused
    /// with <see cref="ConflictException"/> at once (the method interleaves so that it does not queue behind it).
    /// </summary>
    [ResponseTimeout("00:02:00")]
    [AlwaysInterleave]
    Task<MessageView[]> PostAsync(Caller caller, string content, string? idempotencyKey);

    /// <summary>
    /// <see cref="PostAsync"/> as it happens: the user's message as <see cref="TurnEventTypes.Completed"/> first, then
    /// each reply as created, deltas and completed, then done or error. A refused post (not found, 409, 400, 422)
    /// throws on the first read, before any event. Cancelling cuts the turn off: what was written is stored, the reply
    /// being written marked truncated.
    /// </summary>
    [AlwaysInterleave]
    IAsyncEnumerable<TurnEvent> PostStreamingAsync(Caller caller, string content, string? idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Messages with <c>seq</c> greater than <paramref name="afterSeq"/>, oldest first.</summary>
    [AlwaysInterleave]
    Task<MessagePage> GetMessagesAsync(Caller caller, long afterSeq, int limit);

    /// <summary>
    /// The view for a listing, or null when the caller may not see it. Does not audit: the listing call audits
    /// once for the whole page.
    /// </summary>
    [AlwaysInterleave]
    Task<ThreadView?> DescribeForListingAsync(Caller caller);
}

[GenerateSerializer, Immutable, Alias("AgentSilo.NewThread")]
public sealed record NewThread(
    [property: Id(0)] string? Title,
    [property: Id(1)] string[]? Agents,
    [property: Id(2)] Dictionary<string, string>? Metadata,
    [property: Id(3)] string? Orchestration = null);

[GenerateSerializer, Immutable, Alias("AgentSilo.ThreadPatch")]
public sealed record ThreadPatch(
    [property: Id(0)] string? Title,
    [property: Id(1)] Dictionary<string, string>? Metadata);

[GenerateSerializer, Immutable, Alias("AgentSilo.ThreadView")]
public sealed record ThreadView(
    [property: Id(0)] string Id,
    [property: Id(1)] string OwnerId,
    [property: Id(2)] string Title,
    [property: Id(3)] string[] Agents,
    [property: Id(4)] Dictionary<string, string> Metadata,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] long MessageCount,
    [property: Id(8)] string Orchestration = "sequential");

public static class MessageRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";

    /// <summary>A tool call an agent made and its result, kept for audit; agents do not see it in later turns.</summary>
    public const string Tool = "tool";
}

/// <summary>
/// A stored message; <see cref="Truncated"/> marks a reply that was cut off (timeout, failure, disconnect), and
/// <see cref="Flagged"/> a user message the input screen found suspicious (possible prompt injection).
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.MessageView")]
public sealed record MessageView(
    [property: Id(0)] string Id,
    [property: Id(1)] string ThreadId,
    [property: Id(2)] long Seq,
    [property: Id(3)] string Role,
    [property: Id(4)] string Author,
    [property: Id(5)] string Content,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] bool Truncated = false,
    [property: Id(8)] bool Flagged = false);

/// <summary>A page of messages; <see cref="HasMore"/> says whether messages after the last one exist.</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.MessagePage")]
public sealed record MessagePage(
    [property: Id(0)] MessageView[] Items,
    [property: Id(1)] bool HasMore);
