using AgentSilo.Access;
using AgentSilo.Grains.Agents;
using AgentSilo.Threads;
using AgentSilo.Users;
using Orleans.Runtime;

namespace AgentSilo.Grains.Threads;

public sealed class ThreadGrain(
    [PersistentState("thread", "threads")] IPersistentState<ThreadState> state,
    ThreadAccessPolicy policy,
    ThreadIndex index,
    MessageStore messages,
    ThreadTurn turn,
    AgentProfiles profiles,
    TimeProvider time) : Grain, IThreadGrain
{
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromSeconds(100);

    private ThreadState Thread => state.State;

    private string Id => this.GetPrimaryKeyString();

    public async Task<ThreadView> CreateAsync(Caller caller, NewThread request)
    {
        if (Thread.Exists)
        {
            throw new ConflictException("A thread with this id already exists.");
        }

        var title = ThreadRules.Title(request.Title);
        var metadata = ThreadRules.Metadata(request.Metadata);
        var agents = ThreadRules.Agents(request.Agents, profiles, caller);
        var now = time.GetUtcNow();

        // The index row goes first: should the state write then fail, the listing skips a thread that does not exist.
        await index.AddAsync(caller.UserId, Id, now);
        state.State = new ThreadState
        {
            Exists = true,
            OwnerId = caller.UserId,
            Title = title,
            Agents = agents,
            Metadata = metadata,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await state.WriteStateAsync();
        return View();
    }

    public async Task<ThreadView> GetAsync(Caller caller)
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Read);
        return View();
    }

    public async Task<ThreadView> UpdateAsync(Caller caller, ThreadPatch patch)
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Update);
        var title = patch.Title is null ? Thread.Title : ThreadRules.Title(patch.Title);
        var metadata = patch.Metadata is null ? Thread.Metadata : ThreadRules.Metadata(patch.Metadata);
        Thread.Title = title;
        Thread.Metadata = metadata;
        Thread.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    }

    public async Task DeleteAsync(Caller caller)
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Delete);

        // Listing entry first, state last: a delete that fails half-way leaves a thread its owner can delete again.
        await index.RemoveAsync(Thread.OwnerId, Id, Thread.CreatedAt);
        await messages.DeleteAllAsync(Id);
        await state.ClearStateAsync();
        state.State = new ThreadState();
    }

    public async Task<MessageView[]> PostAsync(Caller caller, string content, string? idempotencyKey)
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.Post);
        ThreadRules.Content(content);
        var ledger = new IdempotencyLedger(Thread.Idempotency, time);
        var contentHash = IdempotencyLedger.HashContent(content);
        if (ledger.Find(idempotencyKey, contentHash) is { } earlier)
        {
            var replay = await messages.ReadRangeAsync(Id, earlier.FirstSeq - 1, earlier.LastSeq, (int)(earlier.LastSeq - earlier.FirstSeq + 1));
            return [.. replay];
        }

        // Checked before anything is stored: a refused post leaves the thread as it was.
        var budget = GrainFactory.GetGrain<IModelBudgetGrain>(caller.UserId);
        await budget.EnsureAvailableAsync();

        var userMessage = new MessageView(
            Guid.NewGuid().ToString("N"), Id, Thread.MessageCount + 1, MessageRoles.User, caller.Username, content, time.GetUtcNow());
        await messages.AppendAsync(Id, [userMessage]);

        MessageView[] replies;
        var usage = new TurnUsage();
        try
        {
            using var timeout = new CancellationTokenSource(TurnTimeout);
            replies = await turn.AnswerAsync(Id, Thread.Agents, userMessage, usage, timeout.Token);
        }
        catch
        {
            // The user's message is stored; count it so the thread stays consistent, then report the failure.
            await CommitAsync(userMessage.Seq);
            throw;
        }
        finally
        {
            // Tokens a failed turn spent were spent all the same.
            await budget.ChargeAsync(usage.Tokens);
        }

        var lastSeq = replies.Length == 0 ? userMessage.Seq : replies[^1].Seq;
        ledger.Remember(idempotencyKey, contentHash, userMessage.Seq, lastSeq);
        await CommitAsync(lastSeq);
        return [userMessage, .. replies];
    }

    public async Task<MessagePage> GetMessagesAsync(Caller caller, long afterSeq, int limit)
    {
        await policy.AuthorizeAsync(Id, Thread, caller, ThreadOperation.ReadMessages);
        return await messages.ReadPageAsync(Id, afterSeq, Thread.MessageCount, Math.Clamp(limit, 1, 100));
    }

    public Task<ThreadView?> DescribeForListingAsync(Caller caller) =>
        Task.FromResult(ThreadAccessPolicy.MayList(Thread, caller) ? View() : null);

    /// <summary>Counts the stored rows up to <paramref name="lastSeq"/>: only now do readers see them.</summary>
    private async Task CommitAsync(long lastSeq)
    {
        Thread.MessageCount = lastSeq;
        Thread.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
    }

    private ThreadView View() => new(
        Id, Thread.OwnerId, Thread.Title, Thread.Agents, new Dictionary<string, string>(Thread.Metadata),
        Thread.CreatedAt, Thread.UpdatedAt, Thread.MessageCount);
}
