using AgentSilo.Access;
using AgentSilo.Threads;
using Azure.Data.Tables;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// Deleting a thread while its agents answer stops them instead of waiting for them (slow offline agents: the
/// writer takes 4 s a reply), and leaves nothing of the thread in storage.
/// </summary>
public sealed class DeleteDuringTurnTests(QueuingClusterFixture fixture) : IClassFixture<QueuingClusterFixture>
{
    [Fact]
    public async Task A_delete_during_a_turn_stops_it_and_the_running_and_queued_posts_answer_not_found()
    {
        var owner = Callers.NewUser();
        var threadId = Callers.NewId();
        var thread = fixture.Client.GetGrain<IThreadGrain>(threadId);
        await thread.CreateAsync(owner, new NewThread("to be erased", ["writer"], null));

        var running = thread.PostAsync(owner, "a long answer, please", idempotencyKey: "running");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var queued = thread.PostAsync(owner, "and another", idempotencyKey: null);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        await thread.DeleteAsync(owner);

        // Had the delete waited for the turn, the running post would have been answered in full.
        var stopped = await Assert.ThrowsAsync<NotFoundException>(() => running);
        await Assert.ThrowsAsync<NotFoundException>(() => queued);
        Assert.Equal("Thread not found.", stopped.Message);
        await Assert.ThrowsAsync<NotFoundException>(() => thread.GetAsync(owner));

        var rows = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("messages")
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {threadId}"));
        Assert.Empty(await rows.ToListAsync());
    }

    [Fact]
    public async Task A_stranger_cannot_stop_a_running_turn_by_deleting_the_thread()
    {
        var owner = Callers.NewUser();
        var thread = fixture.Client.GetGrain<IThreadGrain>(Callers.NewId());
        await thread.CreateAsync(owner, new NewThread("mine", ["planner"], null));

        var running = thread.PostAsync(owner, "hello", idempotencyKey: null);
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAsync<NotFoundException>(() => thread.DeleteAsync(Callers.NewUser()));

        var answered = await running;
        Assert.Equal(2, answered.Length);
        Assert.False(answered[1].Truncated);
    }
}
