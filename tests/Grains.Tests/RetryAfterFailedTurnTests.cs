using AgentSilo.Threads;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// A keyed post whose turn failed (here: a streaming post whose client went away before the slow offline planner
/// answered) keeps the user's message; its retry with the same key answers that message instead of storing it again.
/// </summary>
public sealed class RetryAfterFailedTurnTests(QueuingClusterFixture fixture) : IClassFixture<QueuingClusterFixture>
{
    [Fact]
    public async Task The_retry_of_a_keyed_post_whose_stream_was_dropped_answers_the_stored_message_once()
    {
        var owner = Callers.NewUser();
        var thread = fixture.Client.GetGrain<IThreadGrain>(Callers.NewId());
        await thread.CreateAsync(owner, new NewThread("dropped", ["planner"], null));

        await DropStreamAfterUserMessageAsync(thread, owner, "please plan my week", "week-plan");
        var afterDrop = await thread.GetMessagesAsync(owner, 0, 100);
        var stored = Assert.Single(afterDrop.Items, m => m.Role == MessageRoles.User);

        var retried = await thread.PostAsync(owner, "please plan my week", "week-plan");
        var again = await thread.PostAsync(owner, "please plan my week", "week-plan");

        var all = (await thread.GetMessagesAsync(owner, 0, 100)).Items;
        Assert.Equal(stored.Id, Assert.Single(all, m => m.Role == MessageRoles.User).Id);
        Assert.Equal(Enumerable.Range(1, all.Length).Select(i => (long)i), all.Select(m => m.Seq));
        var answer = Assert.Single(all, m => m.Author == "planner" && !m.Truncated);
        Assert.Equal(all.Select(m => m.Id), retried.Select(m => m.Id));
        Assert.Equal(retried.Select(m => m.Id), again.Select(m => m.Id));
        Assert.Equal(answer.Id, retried[^1].Id);
    }

    [Fact]
    public async Task Once_the_thread_has_moved_on_the_retry_of_a_failed_post_is_a_new_post()
    {
        var owner = Callers.NewUser();
        var thread = fixture.Client.GetGrain<IThreadGrain>(Callers.NewId());
        await thread.CreateAsync(owner, new NewThread("moved on", ["planner"], null));

        await DropStreamAfterUserMessageAsync(thread, owner, "first try", "first");
        var between = await thread.PostAsync(owner, "something else", idempotencyKey: null);
        var retried = await thread.PostAsync(owner, "first try", "first");

        Assert.True(retried[0].Seq > between[^1].Seq);
        Assert.Equal("first try", retried[0].Content);
        Assert.Equal(2, (await thread.GetMessagesAsync(owner, 0, 100)).Items.Count(m => m.Content == "first try"));
    }

    /// <summary>
    /// Starts a streaming post and goes away once its user message is stored, before the planner (1 s) answers. The
    /// cluster queues posts during a turn, so a retry waits for this one to end.
    /// </summary>
    private static async Task DropStreamAfterUserMessageAsync(IThreadGrain thread, AgentSilo.Access.Caller owner, string content, string key)
    {
        using var client = new CancellationTokenSource();
        try
        {
            await foreach (var turnEvent in thread.PostStreamingAsync(owner, content, key, client.Token))
            {
                if (turnEvent.Type == TurnEventTypes.Completed)
                {
                    await client.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        // The turn ends, and counts what it stored, just after the client has gone: wait until the message is counted.
        for (var attempt = 0; attempt < 50 && (await thread.GetAsync(owner)).MessageCount == 0; attempt++)
        {
            await Task.Delay(100);
        }
    }
}
