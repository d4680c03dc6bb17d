using AgentSilo.Agents;

namespace AgentSilo.Grains.Agents;

/// <summary>The stored agent profiles (grain storage <c>agents</c>), bounded by <see cref="AgentProfileRules.MaxProfiles"/>.</summary>
public sealed class AgentProfileState
{
    public List<AgentDefinition> Profiles { get; set; } = [];
}
