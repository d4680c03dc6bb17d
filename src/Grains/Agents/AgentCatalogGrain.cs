using AgentSilo.Access;
using AgentSilo.Agents;
using Orleans.Concurrency;

namespace AgentSilo.Grains.Agents;

[StatelessWorker]
public sealed class AgentCatalogGrain(AgentProfiles profiles) : Grain, IAgentCatalogGrain
{
    public async Task<AgentSummary[]> ListForAsync(Caller caller)
    {
        var directory = await profiles.LoadAsync(GrainFactory);
        return directory.All
            .Where(profile => profile.UsableBy(caller.Roles))
            .Select(profile => new AgentSummary(profile.Name, profile.Description))
            .ToArray();
    }
}
