using AgentSilo.Access;

namespace AgentSilo.Agents;

/// <summary>The agent profiles known to the cluster. A stateless worker: use key 0.</summary>
public interface IAgentCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>The profiles this caller may use, the default team's included.</summary>
    Task<AgentSummary[]> ListForAsync(Caller caller);
}

[GenerateSerializer, Immutable, Alias("AgentSilo.AgentSummary")]
public sealed record AgentSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] string Description);
