using AgentSilo.Access;
using AgentSilo.Threads;

namespace AgentSilo.Grains.Tests;

/// <summary>Fifty clients post to one thread at once (issue 4, races): what is acknowledged is stored once, in one order.</summary>
public static class Race
{
    public const int Clients = 50;

    /// <summary>Starts <see cref="Clients"/> posts with contents of their own at the same moment and collects each outcome.</summary>
    public static async Task<(MessageView[]? Answer, Exception? Failure, string Content)[]> PostAtOnceAsync(IThreadGrain thread, Caller owner)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var posts = Enumerable.Range(0, Clients).Select(i => Task.Run(async () =>
        {
            var content = $"client {i} says {Guid.NewGuid():N}";
            await start.Task;
            try
            {
                return ((MessageView[]?)await thread.PostAsync(owner, content, idempotencyKey: null), (Exception?)null, content);
            }
            catch (Exception e)
            {
                return (null, e, content);
            }
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(posts);
    }

    /// <summary>Two readers at once see the same messages in the same order.</summary>
    public static async Task<List<MessageView>> ReadTwiceAtOnceAsync(IThreadGrain thread, Caller owner)
    {
        var reads = await Task.WhenAll(StoredThread.ReadAllAsync(thread, owner), StoredThread.ReadAllAsync(thread, owner));
        Assert.Equal(reads[0].Select(m => m.Id), reads[1].Select(m => m.Id));
        return reads[0];
    }
}

/// <summary>The default, <c>Agents:WhileTurnRuns=reject</c>: a post that meets a running turn is refused and stores nothing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RejectingRaceTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Fifty_posts_at_once_store_each_acknowledged_post_once_and_refuse_the_rest_with_409_storing_nothing()
    {
        var owner = Callers.NewUser();
        var thread = fixture.Client.GetGrain<IThreadGrain>(Callers.NewId());
        await thread.CreateAsync(owner, new NewThread("race", ["planner"], null));

        var outcomes = await Race.PostAtOnceAsync(thread, owner);

        Assert.All(outcomes, o => Assert.True(o.Answer is not null || o.Failure is ConflictException, $"{o.Failure}"));
        var acknowledged = outcomes.Where(o => o.Answer is not null).ToList();
        Assert.NotEmpty(acknowledged);
        Assert.Contains(outcomes, o => o.Failure is ConflictException);

        var stored = await Race.ReadTwiceAtOnceAsync(thread, owner);
        StoredThread.AssertHoldsEachOnce(stored, acknowledged.SelectMany(o => o.Answer!));
        var storedContents = stored.Select(m => m.Content).ToHashSet();
        Assert.All(outcomes.Where(o => o.Failure is not null), o => Assert.DoesNotContain(o.Content, storedContents));
        Assert.Equal(acknowledged.Sum(o => o.Answer!.Length), stored.Count);
        Assert.Equal(stored.Count, (await thread.GetAsync(owner)).MessageCount);
    }
}

/// <summary><c>Agents:WhileTurnRuns=queue</c> with a wait long enough for all: every post runs, one after another.</summary>
[Collection(MultiSiloClusterCollection.Name)]
public sealed class QueuingRaceTests(MultiSiloClusterFixture fixture)
{
    [Fact]
    public async Task Fifty_queued_posts_at_once_are_all_stored_once_each_in_one_gapless_order()
    {
        var owner = Callers.NewUser();
        var thread = fixture.Client.GetGrain<IThreadGrain>(Callers.NewId());
        await thread.CreateAsync(owner, new NewThread("queued race", ["planner"], null));

        var outcomes = await Race.PostAtOnceAsync(thread, owner);

        Assert.All(outcomes, o => Assert.Null(o.Failure));
        var stored = await Race.ReadTwiceAtOnceAsync(thread, owner);
        StoredThread.AssertHoldsEachOnce(stored, outcomes.SelectMany(o => o.Answer!));
        Assert.Equal(outcomes.Select(o => o.Content).Order(), stored.Where(m => m.Role == MessageRoles.User).Select(m => m.Content).Order());
        Assert.Equal(outcomes.Sum(o => o.Answer!.Length), stored.Count);

        // Each answer is one turn: its user message and the replies right after it, not interleaved with another turn.
        Assert.All(outcomes, o => Assert.Equal(
            Enumerable.Range(0, o.Answer!.Length).Select(i => o.Answer[0].Seq + i), o.Answer.Select(m => m.Seq)));
    }
}
