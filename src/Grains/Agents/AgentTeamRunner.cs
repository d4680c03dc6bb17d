using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents;

/// <summary>A message of the conversation as the agents see it.</summary>
public sealed record ConversationEntry(string Role, string Author, string Content);

/// <summary>One agent's reply in a turn.</summary>
public sealed record AgentReply(string AgentName, string Text);

/// <summary>
/// Runs a thread's team for one turn as a sequential Agent Framework workflow: each agent sees the conversation
/// and the replies of the agents before it. A workflow cannot run twice at once, so each turn builds its own.
/// </summary>
public sealed class AgentTeamRunner(IAgentChatClients chatClients)
{
    public async Task<IReadOnlyList<AgentReply>> RunAsync(
        IReadOnlyList<AgentProfile> team, IReadOnlyList<ConversationEntry> conversation, TurnUsage usage,
        CancellationToken cancellationToken)
    {
        var agents = team
            .Select(profile => new ChatClientAgent(
                new UsageCountingChatClient(chatClients.For(profile), usage), profile.Instructions, profile.Name, profile.Description))
            .ToList();
        var workflow = AgentWorkflowBuilder.BuildSequential(agents);
        var input = conversation.Select(ToChatMessage).ToList();

        await using var run = await InProcessExecution.RunStreamingAsync(workflow, input, cancellationToken: cancellationToken);
        await run.TrySendMessageAsync(new TurnToken(emitEvents: true));
        await foreach (var evt in run.WatchStreamAsync(cancellationToken))
        {
            switch (evt)
            {
                case WorkflowErrorEvent error:
                    throw new AgentRunFailedException("The agent workflow failed.", error.Exception);
                case ExecutorFailedEvent failed:
                    throw new AgentRunFailedException("An agent failed.", failed.Data);
                case WorkflowOutputEvent output when output.Is<List<ChatMessage>>(out var messages):
                    return CollectReplies(team, messages.Skip(input.Count).ToList());
            }
        }

        throw new AgentRunFailedException("The agent workflow ended without an answer.", null);
    }

    private static IReadOnlyList<AgentReply> CollectReplies(IReadOnlyList<AgentProfile> team, IReadOnlyList<ChatMessage> produced)
    {
        // One reply per agent, in team order; an agent that answered in several messages gets them joined.
        var replies = new List<AgentReply>(team.Count);
        foreach (var profile in team)
        {
            var text = string.Join("\n\n", produced
                .Where(m => m.Role == ChatRole.Assistant && m.AuthorName == profile.Name && !string.IsNullOrEmpty(m.Text))
                .Select(m => m.Text));
            replies.Add(new AgentReply(profile.Name, text));
        }

        if (replies.Any(reply => reply.Text.Length == 0))
        {
            throw new AgentRunFailedException("An agent of the team gave no reply.", null);
        }

        return replies;
    }

    private static ChatMessage ToChatMessage(ConversationEntry entry) =>
        new(entry.Role == "user" ? ChatRole.User : ChatRole.Assistant, entry.Content) { AuthorName = entry.Author };
}

/// <summary>The agent team could not complete a turn.</summary>
public sealed class AgentRunFailedException(string message, Exception? inner) : Exception(message, inner);
