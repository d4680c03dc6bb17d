using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents;

/// <summary>
/// Chooses the chat client an agent talks to. The offline one is the default; an OpenAI-compatible endpoint is a
/// different implementation registered in its place.
/// </summary>
public interface IAgentChatClients
{
    IChatClient For(AgentProfile profile);
}

/// <summary>Every agent answers through its own <see cref="OfflineChatClient"/>.</summary>
public sealed class OfflineAgentChatClients : IAgentChatClients
{
    private readonly HashSet<string> _agentNames = AgentProfiles.BuiltIn.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    public IChatClient For(AgentProfile profile) => new OfflineChatClient(profile.Name, _agentNames);
}
