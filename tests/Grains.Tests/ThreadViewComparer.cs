using AgentSilo.Threads;

namespace AgentSilo.Grains.Tests;

/// <summary>Compares thread views by value, metadata and agents included (records compare those by reference).</summary>
public sealed class ThreadViewComparer : IEqualityComparer<ThreadView>
{
    public static readonly ThreadViewComparer Instance = new();

    public bool Equals(ThreadView? x, ThreadView? y) =>
        x is not null && y is not null
        && (x.Id, x.OwnerId, x.Title, x.CreatedAt, x.UpdatedAt, x.MessageCount) == (y.Id, y.OwnerId, y.Title, y.CreatedAt, y.UpdatedAt, y.MessageCount)
        && x.Agents.SequenceEqual(y.Agents)
        && x.Metadata.OrderBy(p => p.Key).SequenceEqual(y.Metadata.OrderBy(p => p.Key));

    public int GetHashCode(ThreadView obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
}
