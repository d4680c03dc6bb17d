using AgentSilo.Access;
using AgentSilo.Threads;

namespace AgentSilo.Grains.Tests;

/// <summary>What a thread holds, read the way a client reads it, and the invariants every race and failure must keep.</summary>
public static class StoredThread
{
    /// <summary>Every message of the thread, page by page, oldest first.</summary>
    public static async Task<List<MessageView>> ReadAllAsync(IThreadGrain thread, Caller reader)
    {
        var all = new List<MessageView>();
        while (true)
        {
            var page = await thread.GetMessagesAsync(reader, all.Count == 0 ? 0 : all[^1].Seq, 100);
            all.AddRange(page.Items);
            if (!page.HasMore)
            {
                return all;
            }
        }
    }

    /// <summary>
    /// <paramref name="stored"/> is numbered 1..N without a gap or a repeat, holds each of <paramref name="acknowledged"/>
    /// exactly once, and each user message content once (every post in these tests has its own content).
    /// </summary>
    public static void AssertHoldsEachOnce(IReadOnlyList<MessageView> stored, IEnumerable<MessageView> acknowledged)
    {
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(stored.Count, stored.Select(m => m.Id).Distinct().Count());
        var storedById = stored.ToDictionary(m => m.Id);
        Assert.All(acknowledged, m =>
        {
            Assert.True(storedById.TryGetValue(m.Id, out var kept), $"acknowledged message {m.Seq} was not stored");
            Assert.Equal((m.Seq, m.Role, m.Content), (kept.Seq, kept.Role, kept.Content));
        });
        var userContents = stored.Where(m => m.Role == MessageRoles.User).Select(m => m.Content).ToList();
        Assert.Equal(userContents.Count, userContents.Distinct().Count());
    }
}
