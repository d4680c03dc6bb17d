using AgentSilo.Access;
using AgentSilo.Agents;
using Orleans.Concurrency;

namespace AgentSilo.Grains.Agents;

[StatelessWorker]
public sealed class AgentCatalogGrain(AgentProfiles profiles) : Grain, IAgentCatalogGrain
{
    public Task<AgentSummary[]> ListForAsync(Caller caller)
    {
        var usable = profiles.All
            .Where(profile => profile.UsableBy(caller.Roles))
            .Select(profile => new AgentSummary(profile.Name, profile.Description))
            .ToArray();
        return Task.FromResult(usable);
    }
}
