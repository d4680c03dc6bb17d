using AgentSilo.Access;
using AgentSilo.Grains.Agents;
using AgentSilo.Threads;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// A silo whose threads queue a post that arrives during a running turn (<c>Agents:WhileTurnRuns=queue</c>) instead
/// of refusing it, waiting at most <see cref="QueueWaitSeconds"/>. Its offline agents take a while to answer.
/// </summary>
public sealed class QueuingClusterFixture : IAsyncLifetime
{
    public const int QueueWaitSeconds = 5;

    private AzuriteTestCluster? _cluster;

    public IClusterClient Client => _cluster?.Client ?? throw new InvalidOperationException("The cluster has not started.");

    public string StorageConnectionString =>
        _cluster?.StorageConnectionString ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() =>
        _cluster = await AzuriteTestCluster.StartAsync(
            1,
            new Dictionary<string, string?>
            {
                ["Agents:WhileTurnRuns"] = "queue",
                ["Agents:QueueWaitSeconds"] = QueueWaitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            services => services.AddSingleton<IAgentChatClients, SlowOfflineAgentChatClients>());

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

public sealed class QueuedPostTests(QueuingClusterFixture fixture) : IClassFixture<QueuingClusterFixture>
{
    [Fact]
    public async Task A_post_during_a_short_turn_waits_for_it_and_then_runs()
    {
        var owner = Callers.NewUser();
        var thread = await NewThreadAsync(owner, "planner");

        var first = thread.PostAsync(owner, "first", idempotencyKey: null);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var second = await thread.PostAsync(owner, "second", idempotencyKey: null);
        var firstMessages = await first;

        Assert.Equal([1L, 2L], firstMessages.Select(m => m.Seq));
        Assert.Equal([3L, 4L], second.Select(m => m.Seq));
        Assert.Equal("second", second[0].Content);
        Assert.Equal(4, (await thread.GetAsync(owner)).MessageCount);
    }

    [Fact]
    public async Task A_post_that_would_wait_longer_than_the_queue_allows_is_409_and_stores_nothing()
    {
        var owner = Callers.NewUser();
        var thread = await NewThreadAsync(owner, "writer", "reviewer");

        var first = thread.PostAsync(owner, "a long turn", idempotencyKey: null);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<ConflictException>(() => thread.PostAsync(owner, "too impatient", idempotencyKey: null));
        var firstMessages = await first;

        var stored = await thread.GetMessagesAsync(owner, 0, 100);
        Assert.Equal(firstMessages.Select(m => m.Id), stored.Items.Select(m => m.Id));
        Assert.DoesNotContain(stored.Items, m => m.Content == "too impatient");
    }

    [Fact]
    public async Task A_stranger_is_not_found_even_while_a_turn_runs()
    {
        var owner = Callers.NewUser();
        var thread = await NewThreadAsync(owner, "writer");

        var first = thread.PostAsync(owner, "mine", idempotencyKey: null);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAsync<NotFoundException>(() => thread.PostAsync(Callers.NewUser(), "yours?", idempotencyKey: null));
        await first;
    }

    private async Task<IThreadGrain> NewThreadAsync(Caller owner, params string[] agents)
    {
        var thread = fixture.Client.GetGrain<IThreadGrain>(Callers.NewId());
        await thread.CreateAsync(owner, new NewThread("queued", agents, null));
        return thread;
    }
}

/// <summary>
/// The offline agents, each waiting before it answers (the planner 1 s, the others 4 s), so a turn is still running
/// when the next post arrives. A stand-in for a slow model: no model runs here.
/// </summary>
public sealed class SlowOfflineAgentChatClients : IAgentChatClients
{
    public IChatClient For(AgentProfile profile, IReadOnlyCollection<string> teamNames) =>
        new SlowChatClient(new OfflineChatClient(profile.Name, teamNames), TimeSpan.FromSeconds(profile.Name == "planner" ? 1 : 4));

    private sealed class SlowChatClient(IChatClient inner, TimeSpan delay) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }

        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                yield return update;
            }
        }
    }
}
