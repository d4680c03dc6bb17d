using AgentSilo.Access;
using AgentSilo.Threads;
using Xunit.Abstractions;

namespace AgentSilo.Grains.Tests;

/// <summary>A conversation past 10,000 messages on real storage (DESIGN.md, decision 3).</summary>
[Collection(ClusterCollection.Name)]
public sealed class LongThreadTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private const int TargetMessages = 10_050;

    [Fact]
    public async Task A_thread_past_ten_thousand_messages_keeps_working_and_its_stored_state_does_not_grow()
    {
        // An admin may use all four built-in agents, so each post stores five messages: the test stays short.
        var owner = Callers.NewAdmin();
        var threadId = Callers.NewId();
        var thread = fixture.Client.GetGrain<IThreadGrain>(threadId);
        var created = await thread.CreateAsync(owner, new NewThread("long", ["planner", "writer", "reviewer", "auditor"], null));
        var perPost = 1 + created.Agents.Length;

        long last = 0;
        string? stateAtStart = null;
        while (last < TargetMessages)
        {
            var posted = await thread.PostAsync(owner, $"message after {last}", idempotencyKey: null);
            Assert.Equal(perPost, posted.Length);
            Assert.Equal(last + 1, posted[0].Seq);
            last = posted[^1].Seq;
            stateAtStart ??= await StoredGrainState.ReadAsync(fixture.StorageConnectionString, "thread", threadId);
        }

        var view = await thread.GetAsync(owner);
        Assert.Equal(last, view.MessageCount);

        // The end of the thread reads like its start: a page after a sequence number, in order, without gaps.
        var tail = await thread.GetMessagesAsync(owner, last - 30, 100);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => last - 29 + i), tail.Items.Select(m => m.Seq));
        Assert.False(tail.HasMore);
        var middle = await thread.GetMessagesAsync(owner, 5_000, 10);
        Assert.Equal(Enumerable.Range(5_001, 10).Select(i => (long)i), middle.Items.Select(m => m.Seq));
        Assert.True(middle.HasMore);

        // Messages are rows of their own: the thread's grain state is as small at message 10,000 as at message 5.
        var stateAtEnd = await StoredGrainState.ReadAsync(fixture.StorageConnectionString, "thread", threadId);
        output.WriteLine($"thread state: {stateAtStart!.Length} chars after the first post, {stateAtEnd.Length} after {last} messages");
        Assert.InRange(stateAtEnd.Length, 1, stateAtStart.Length + 64);
    }
}
