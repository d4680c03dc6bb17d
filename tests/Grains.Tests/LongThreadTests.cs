using System.Diagnostics;
using AgentSilo.Access;
using AgentSilo.Agents;
using AgentSilo.Grains.Threads;
using AgentSilo.Threads;
using Xunit.Abstractions;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// A conversation of 100,000 messages on real storage (DESIGN.md, decision 3; issue 4, part 5). A cluster and Azurite of
/// its own: it runs beside the shared cluster's tests instead of after them, and the agents it adds stay its own.
/// </summary>
public sealed class LongThreadTests(ITestOutputHelper output)
{
    private const int TargetMessages = 100_000;

    private static readonly string[] BuiltInTeam = ["planner", "writer", "reviewer", "auditor"];

    [Fact]
    public async Task A_thread_of_100000_messages_pages_like_a_new_one_and_its_stored_state_does_not_grow()
    {
        await using var cluster = await AzuriteTestCluster.StartAsync(
            1, new Dictionary<string, string?> { ["Quota:ModelTokensPerDay"] = "1000000000" }, inMemoryAzurite: true);
        var grains = cluster.Client;

        // A team of eight (the most a thread may have: the four built-in agents and four more on the offline model)
        // stores nine messages per post, so 11,112 posts reach 100,000 messages.
        var owner = Callers.NewAdmin();
        var added = Enumerable.Range(1, ThreadRules.MaxAgents - BuiltInTeam.Length).Select(i => $"extra-{i}").ToArray();
        foreach (var name in added)
        {
            await grains.GetGrain<IAgentProfileGrain>(0).CreateAsync(
                owner, new AgentDefinition(name, "long thread", "Answer briefly.", "offline", [], [AccessRoles.Admin]));
        }

        var threadId = Callers.NewId();
        var thread = grains.GetGrain<IThreadGrain>(threadId);
        var created = await thread.CreateAsync(owner, new NewThread("long", [.. BuiltInTeam, .. added], null));
        var perPost = 1 + created.Agents.Length;
        Assert.Equal(9, perPost);

        long last = 0;
        string? stateAtStart = null;
        var clock = Stopwatch.StartNew();
        IReadOnlyList<TableRequest>? earlyPostRequests = null, lastPostRequests = null;
        while (last < TargetMessages)
        {
            // The storage requests of the second post (the first activates the user's grains) and of the last are recorded.
            var recorded = last == perPost || last + perPost >= TargetMessages;
            using var recorder = recorded ? new TableRequestRecorder(cluster.StorageConnectionString) : null;
            var posted = await thread.PostAsync(owner, $"message after {last}", idempotencyKey: null);
            Assert.Equal(perPost, posted.Length);
            Assert.Equal(last + 1, posted[0].Seq);
            if (recorder is not null)
            {
                // Orleans' own membership heartbeats may fall into either post; they are not the post's.
                var requests = recorder.Requests.Where(r => r.Table != "OrleansSiloInstances").ToList();
                (last == perPost ? ref earlyPostRequests : ref lastPostRequests) = requests;
            }

            last = posted[^1].Seq;
            stateAtStart ??= await StoredGrainState.ReadAsync(cluster.StorageConnectionString, "thread", threadId);
        }

        output.WriteLine($"{last:N0} messages in {clock.Elapsed.TotalSeconds:F0} s ({last / perPost / clock.Elapsed.TotalSeconds:F0} posts/s)");
        var view = await thread.GetAsync(owner);
        Assert.Equal(last, view.MessageCount);

        // The end of the thread reads like its start: a full page after a sequence number, in order, without gaps, the
        // same roles and authors as the page at the same point of a post near the start, and no more after it.
        var lastPage = await TimedPageAsync(thread, owner, last - 100, $"last page (messages {last - 99:N0} to {last:N0})");
        var early = await TimedPageAsync(thread, owner, (last - 100) % perPost, "a page at the start, same point of a post");
        Assert.Equal(Enumerable.Range(1, 100).Select(i => last - 100 + i), lastPage.Items.Select(m => m.Seq));
        Assert.False(lastPage.HasMore);
        Assert.True(early.HasMore);
        Assert.Equal(early.Items.Select(m => (m.Role, m.Author)), lastPage.Items.Select(m => (m.Role, m.Author)));
        var ownMessages = lastPage.Items.Where(m => m.Role == MessageRoles.User).ToList();
        Assert.Equal(11, ownMessages.Count);
        Assert.All(ownMessages, m => Assert.Equal($"message after {m.Seq - 1}", m.Content));
        var middle = await thread.GetMessagesAsync(owner, 50_000, 10);
        Assert.Equal(Enumerable.Range(50_001, 10).Select(i => (long)i), middle.Items.Select(m => m.Seq));
        Assert.True(middle.HasMore);

        // An append asks storage the same whatever the thread's length: the same requests, each query for as many rows,
        // at message 100,000 as at message 10 (no read of the whole conversation, no rewrite of it).
        output.WriteLine("storage requests of the last post: " + string.Join("; ", lastPostRequests!.Select(r => r.Shape)));
        Assert.NotEmpty(earlyPostRequests!);
        Assert.Equal(earlyPostRequests!.Select(r => r.Shape), lastPostRequests!.Select(r => r.Shape));

        // Messages are rows of their own: the thread's grain state is as small at message 100,000 as at message 9.
        var stateAtEnd = await StoredGrainState.ReadAsync(cluster.StorageConnectionString, "thread", threadId);
        output.WriteLine($"thread state: {stateAtStart!.Length} chars after the first post, {stateAtEnd.Length} after {last} messages");
        Assert.InRange(stateAtEnd.Length, 1, stateAtStart.Length + 64);
    }

    private async Task<MessagePage> TimedPageAsync(IThreadGrain thread, Caller owner, long afterSeq, string what)
    {
        var clock = Stopwatch.StartNew();
        var page = await thread.GetMessagesAsync(owner, afterSeq, 100);
        output.WriteLine($"{what}: {clock.Elapsed.TotalMilliseconds:F1} ms");
        return page;
    }
}
