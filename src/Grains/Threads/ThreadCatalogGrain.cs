using AgentSilo.Access;
using AgentSilo.Admin;
using AgentSilo.Grains.Admin;
using AgentSilo.Grains.Storage;
using AgentSilo.Threads;
using Orleans.Concurrency;

namespace AgentSilo.Grains.Threads;

[StatelessWorker]
public sealed class ThreadCatalogGrain(ThreadIndex index, AuditTrail audit) : Grain, IThreadCatalogGrain
{
    public Task<ThreadPage> ListOwnAsync(Caller caller, string? cursor, int limit) =>
        ListAsync(caller, caller.UserId, cursor, limit);

    public async Task<ThreadPage> ListAllAsync(Caller caller, string? ownerId, string? cursor, int limit)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only administrators may list every thread.");
        }

        var owner = string.IsNullOrEmpty(ownerId) ? null : ownerId;
        await audit.AppendAsync(caller.UserId, AuditActions.ThreadsList, threadId: null, ownerId: owner, caller.AuditReason);
        return await ListAsync(caller, owner, cursor, limit);
    }

    private async Task<ThreadPage> ListAsync(Caller caller, string? ownerId, string? cursor, int limit)
    {
        var (threadIds, next) = await index.ListAsync(ownerId, cursor, TableCursor.ClampLimit(limit));

        // Each thread grain still decides what the caller may see; an index row whose thread is gone yields null.
        var views = await Task.WhenAll(threadIds.Select(id => GrainFactory.GetGrain<IThreadGrain>(id).DescribeForListingAsync(caller)));
        return new ThreadPage(views.OfType<ThreadView>().ToArray(), next);
    }
}
