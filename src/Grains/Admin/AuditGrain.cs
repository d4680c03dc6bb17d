using AgentSilo.Access;
using AgentSilo.Admin;
using Orleans.Concurrency;

namespace AgentSilo.Grains.Admin;

[StatelessWorker]
public sealed class AuditGrain(AuditTrail audit) : Grain, IAuditGrain
{
    public Task<AuditPage> ListAsync(Caller caller, string? actorId, string? threadId, string? cursor, int limit)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only administrators may read the audit log.");
        }

        return audit.ListAsync(actorId, threadId, cursor, limit);
    }
}
