using AgentSilo.Grains.Agents;
using AgentSilo.Threads;

namespace AgentSilo.Grains.Threads;

/// <summary>Runs a thread's agent team on a newly stored user message and stores the replies in one transaction.</summary>
public sealed class ThreadTurn(MessageStore store, AgentTeamRunner runner, AgentProfiles profiles, TimeProvider time)
{
    /// <summary>How many messages the agents see: enough for context, bounded however long the thread is.</summary>
    public const int HistoryLength = 20;

    /// <summary>Longest reply stored per agent, so one turn always fits a single table transaction.</summary>
    public const int MaxReplyLength = 100_000;

    /// <summary>Runs the team and stores its replies; the model tokens spent, even by a turn that fails, add up in <paramref name="usage"/>.</summary>
    public async Task<MessageView[]> AnswerAsync(
        string threadId, string[] agentNames, MessageView userMessage, TurnUsage usage, CancellationToken cancellationToken)
    {
        var earlier = await store.ReadRangeAsync(
            threadId, userMessage.Seq - HistoryLength, userMessage.Seq - 1, HistoryLength - 1, cancellationToken);
        var conversation = earlier.Append(userMessage)
            .Select(m => new ConversationEntry(m.Role, m.Author, m.Content))
            .ToList();

        // A profile removed since the thread was created is skipped rather than failing every later turn.
        var team = agentNames.Select(profiles.Find).OfType<AgentProfile>().ToList();
        if (team.Count == 0)
        {
            return [];
        }

        var replies = await runner.RunAsync(team, conversation, usage, cancellationToken);
        var now = time.GetUtcNow();
        var views = replies
            .Select((reply, i) => new MessageView(
                Guid.NewGuid().ToString("N"),
                threadId,
                userMessage.Seq + 1 + i,
                MessageRoles.Assistant,
                reply.AgentName,
                reply.Text.Length <= MaxReplyLength ? reply.Text : reply.Text[..MaxReplyLength],
                now))
            .ToArray();
        await store.AppendAsync(threadId, views, cancellationToken);
        return views;
    }
}
