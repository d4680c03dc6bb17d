using AgentSilo.Grains.Agents.Models;
using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents;

/// <summary>Chooses the chat client an agent talks to.</summary>
public interface IAgentChatClients
{
    /// <param name="profile">The agent.</param>
    /// <param name="teamNames">The names of the agents of the turn, so that their replies are told apart from the human's.</param>
    IChatClient For(AgentProfile profile, IReadOnlyCollection<string> teamNames);
}

/// <summary>Every agent answers through its own <see cref="OfflineChatClient"/>, whatever its profile says.</summary>
public sealed class OfflineAgentChatClients : IAgentChatClients
{
    public IChatClient For(AgentProfile profile, IReadOnlyCollection<string> teamNames) => new OfflineChatClient(profile.Name, teamNames);
}

/// <summary>Each agent talks to the model its profile names (<c>Models:&lt;name&gt;</c>).</summary>
public sealed class ConfiguredAgentChatClients(ModelRegistry models) : IAgentChatClients
{
    public IChatClient For(AgentProfile profile, IReadOnlyCollection<string> teamNames) => models.For(profile.Model, profile.Name, teamNames);
}
