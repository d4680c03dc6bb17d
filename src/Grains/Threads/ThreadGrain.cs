using AgentSilo.Access;
using AgentSilo.Agents;
using AgentSilo.Grains.Agents;
using AgentSilo.Threads;
using AgentSilo.Users;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AgentSilo.Grains.Threads;

public sealed class ThreadGrain(
    [PersistentState("thread", "threads")] IPersistentState<ThreadState> state,
    ThreadAccessPolicy policy,
    ThreadIndex index,
    MessageStore messages,
    IdempotencyLedger idempotency,
    ThreadTurn turn,
    AgentProfiles profiles,
    IOptions<AgentOptions> agentOptions,
    TimeProvider time) : Grain, IThreadGrain
{
    // PostAsync interleaves (to refuse or queue a second post), so every state write takes this gate.
    private readonly WriteGate _writes = new();
    private readonly TurnLine _turns = new(agentOptions.Value);

    // Cancelled by a delete: the running turn and those queued behind it stop, so erasure waits for no agent.
    private CancellationTokenSource _turnsEnd = new();

    private ThreadState Thread => state.State;

    private string Id => this.GetPrimaryKeyString();

    public Task<ThreadView> CreateAsync(Caller caller, NewThread request) => _writes.RunAsync(async () =>
    {
        if (Thread.Exists)
        {
            throw new ConflictException("A thread with this id already exists.");
        }

        var title = ThreadRules.Title(request.Title);
        var metadata = ThreadRules.Metadata(request.Metadata);
        var orchestration = ThreadRules.Orchestration(request.Orchestration);
        var agents = ThreadRules.Agents(request.Agents, profiles.DefaultTeam, await profiles.LoadForAsync(GrainFactory, request.Agents), caller);
        var now = time.GetUtcNow();

        // The index row goes first: should the state write then fail, the listing skips a thread that does not exist.
        await index.AddAsync(caller.UserId, Id, now);
        state.State = ThreadState.Created(caller.UserId, title, agents, orchestration, metadata, now);
        await state.WriteStateAsync();
        return View();
    });

    public async Task<ThreadView> GetAsync(Caller caller)
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Read);
        return View();
    }

    public Task<ThreadView> UpdateAsync(Caller caller, ThreadPatch patch) => _writes.RunAsync(async () =>
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Update);
        var title = patch.Title is null ? Thread.Title : ThreadRules.Title(patch.Title);
        var metadata = patch.Metadata is null ? Thread.Metadata : ThreadRules.Metadata(patch.Metadata);
        Thread.Title = title;
        Thread.Metadata = metadata;
        Thread.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    });

    public async Task DeleteAsync(Caller caller)
    {
        // Authorised (and audited) first: only a caller who may delete the thread may stop its agents.
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Delete);
        await Interlocked.Exchange(ref _turnsEnd, new CancellationTokenSource()).CancelAsync();

        await _writes.RunAsync(async () =>
        {
            // Another delete may have won the gate while this one waited.
            ThreadAccessPolicy.ThrowIfGone(Thread);

            // Listing entry first, state last: a delete that fails half-way leaves a thread its owner can delete again.
            await index.RemoveAsync(Thread.OwnerId, Id, Thread.CreatedAt);
            await messages.DeleteAllAsync(Id);
            await state.ClearStateAsync();
            state.State = new ThreadState();
            return true;
        });
    }

    public Task<MessageView[]> PostAsync(Caller caller, string content, string? idempotencyKey) =>
        PostCoreAsync(caller, content, idempotencyKey, observer: null, CancellationToken.None);

    public async IAsyncEnumerable<TurnEvent> PostStreamingAsync(
        Caller caller, string content, string? idempotencyKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The turn runs on its own task in this activation; the reader only watches it, so leaving cancels but never tears.
        var stream = new TurnStream();
        _ = stream.RunAsync(() => PostCoreAsync(caller, content, idempotencyKey, stream, cancellationToken));
        await foreach (var turnEvent in stream.ReadAsync(cancellationToken))
        {
            yield return turnEvent;
        }
    }

    public async Task<MessagePage> GetMessagesAsync(Caller caller, long afterSeq, int limit)
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.ReadMessages);
        return await messages.ReadPageAsync(Id, afterSeq, Thread.MessageCount, Math.Clamp(limit, 1, 100));
    }

    public Task<ThreadView?> DescribeForListingAsync(Caller caller) =>
        Task.FromResult(ThreadAccessPolicy.MayList(Thread, caller) ? View() : null);

    private async Task<MessageView[]> PostCoreAsync(
        Caller caller, string content, string? idempotencyKey, ITurnObserver? observer, CancellationToken aborted)
    {
        // Strangers learn nothing, not even that the thread is busy: authorise before looking at running turns.
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Post);
        var deleted = _turnsEnd.Token;
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(aborted, deleted);
        try
        {
            return await _turns.RunAsync(_writes, () => RunTurnAsync(caller, content, idempotencyKey, observer, stopped.Token));
        }
        catch (ModelFailedException) when (deleted.IsCancellationRequested)
        {
            throw ThreadAccessPolicy.NotFound();
        }
    }

    private async Task<MessageView[]> RunTurnAsync(
        Caller caller, string content, string? idempotencyKey, ITurnObserver? observer, CancellationToken aborted)
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Post);
        ThreadRules.Content(content);
        var flagged = turn.IsSuspicious(content);
        var contentHash = IdempotencyLedger.HashContent(content);
        var earlier = await idempotency.FindAsync(Id, idempotencyKey, contentHash, Thread.MessageCount);
        if (earlier is { Answered: true })
        {
            return earlier.Messages;
        }

        // Checked before anything is stored: a refused post leaves the thread as it was. A profile removed or narrowed
        // since the thread was created is skipped; a thread left with no agent at all cannot answer.
        var directory = await profiles.LoadForAsync(GrainFactory, Thread.Agents);
        var team = Thread.Agents.Select(directory.Find).OfType<AgentProfile>().Where(p => p.UsableBy(caller.Roles)).ToList();
        if (team.Count == 0)
        {
            throw new ConflictException("None of this thread's agents is available any more; start a new thread.");
        }

        var budget = GrainFactory.GetGrain<IModelBudgetGrain>(caller.UserId);
        await budget.EnsureAvailableAsync(caller.Roles);

        // The retry of a keyed post whose turn failed answers the message that post stored; any other post stores its own.
        var userMessage = earlier?.UserMessage ?? new MessageView(
            Guid.NewGuid().ToString("N"), Id, Thread.MessageCount + 1, MessageRoles.User, caller.Username, content, time.GetUtcNow(), Flagged: flagged);
        if (earlier is null)
        {
            await messages.AppendAsync(Id, [userMessage]);
        }

        if (observer is not null)
        {
            await observer.CompletedAsync(userMessage);
        }

        var storedBefore = earlier?.Messages ?? [userMessage];
        var outcome = await turn.AnswerAsync(
            Id, caller, team, Thread.Orchestration ?? Orchestrations.Sequential, userMessage, storedBefore[^1].Seq + 1, observer, aborted);

        // Tokens a failed turn spent were spent all the same.
        await budget.ChargeAsync(outcome.TokensUsed, caller.Roles);

        // Counted whether or not the turn finished: the user's message and whatever was stored stay, once each. A keyed
        // post is remembered either way: a retry returns what an answered turn stored, or answers a failed one again.
        var lastSeq = outcome.Messages.Count == 0 ? storedBefore[^1].Seq : outcome.Messages[^1].Seq;
        await idempotency.RememberAsync(Id, idempotencyKey, contentHash, userMessage, lastSeq, answered: outcome.Failure is null);
        await CommitAsync(lastSeq);
        return outcome.Failure is { } failure ? throw failure : [.. storedBefore, .. outcome.Messages];
    }

    /// <summary>Counts the stored rows up to <paramref name="lastSeq"/>: only now do readers see them.</summary>
    private async Task CommitAsync(long lastSeq)
    {
        Thread.MessageCount = lastSeq;
        Thread.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    private ThreadView View() => Thread.ToView(Id);
}
