using AgentSilo.Grains.Agents;
using AgentSilo.Threads;

namespace AgentSilo.Grains.Threads;

/// <summary>
/// A thread's stored metadata (grain storage <c>threads</c>). Messages live in the message table, so this stays
/// small however long the conversation grows (idempotency keys are rows too: see <see cref="IdempotencyLedger"/>).
/// </summary>
public sealed class ThreadState
{
    public bool Exists { get; set; }

    public string OwnerId { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public string[] Agents { get; set; } = [];

    /// <summary>How the team takes turns; null in threads stored before the choice existed, which read as sequential.</summary>
    public string? Orchestration { get; set; }

    public Dictionary<string, string> Metadata { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The highest stored and counted sequence number; readers never look past it.</summary>
    public long MessageCount { get; set; }

    public static ThreadState Created(
        string ownerId, string title, string[] agents, string? orchestration, Dictionary<string, string> metadata, DateTimeOffset now) => new()
    {
        Exists = true,
        OwnerId = ownerId,
        Title = title,
        Agents = agents,
        Orchestration = orchestration,
        Metadata = metadata,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public ThreadView ToView(string id) => new(
        id, OwnerId, Title, Agents, new Dictionary<string, string>(Metadata),
        CreatedAt, UpdatedAt, MessageCount, Orchestration ?? Orchestrations.Sequential);
}
