using AgentSilo.Access;
using Orleans.Concurrency;

namespace AgentSilo.Agents;

/// <summary>
/// The agent profiles that administrators manage (key 0: one catalog, written rarely). Built-in profiles are listed
/// but cannot be changed. Every method but <see cref="StoredAsync"/> is for admin callers only.
/// </summary>
public interface IAgentProfileGrain : IGrainWithIntegerKey
{
    /// <summary>Every profile, built-in ones first, instructions included.</summary>
    [AlwaysInterleave]
    Task<AgentDefinition[]> ListAsync(Caller caller);

    /// <summary>Adds a profile; a taken name is a conflict.</summary>
    Task<AgentDefinition> CreateAsync(Caller caller, AgentDefinition profile);

    /// <summary>Replaces the stored profile called <paramref name="name"/>.</summary>
    Task<AgentDefinition> ReplaceAsync(Caller caller, string name, AgentDefinition profile);

    Task DeleteAsync(Caller caller, string name);

    /// <summary>The stored profiles, for the cluster's own use (thread grains resolving their team); never sent to clients.</summary>
    [AlwaysInterleave]
    Task<AgentDefinition[]> StoredAsync();
}

/// <summary>An agent profile as administrators write it (API.md, Agent profiles).</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.AgentDefinition")]
public sealed record AgentDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] string Description,
    [property: Id(2)] string Instructions,
    [property: Id(3)] string Model,
    [property: Id(4)] string[] Tools,
    [property: Id(5)] string[] AllowedRoles,
    [property: Id(6)] bool BuiltIn = false);
