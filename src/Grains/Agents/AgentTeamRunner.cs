using Microsoft.Agents.AI;
using Microsoft.Agents.AI.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Agents;

/// <summary>A message of the conversation as the agents see it: role user, assistant or system.</summary>
public sealed record ConversationEntry(string Role, string Author, string Content);

/// <summary>What one turn runs: the team, how it takes turns, what it has seen, and the tools each agent may call.</summary>
public sealed record TurnPlan(
    IReadOnlyList<AgentProfile> Team,
    string Orchestration,
    IReadOnlyList<ConversationEntry> Conversation,
    Func<AgentProfile, IList<AITool>?>? ToolsFor = null);

/// <summary>
/// Runs a thread's team for one turn as an Agent Framework workflow (sequential, round-robin group chat or handoff)
/// and streams what the agents write into a <see cref="TurnRecorder"/>. A workflow cannot run twice at once, so
/// each turn builds its own.
/// </summary>
public sealed class AgentTeamRunner(IAgentChatClients chatClients, IOptions<AgentOptions> options)
{
    public async Task RunAsync(TurnPlan plan, TurnRecorder recorder, CancellationToken cancellationToken)
    {
        var names = plan.Team.Select(p => p.Name).ToArray();
        var agents = plan.Team.Select(profile => (AIAgent)new ChatClientAgent(
            new UsageCountingChatClient(chatClients.For(profile, names), recorder.Usage),
            new ChatClientAgentOptions
            {
                // The id names the handoff function (handoff_to_<id>), so keep it readable and stable.
                Id = profile.Name,
                Name = profile.Name,
                Description = profile.Description,
                ChatOptions = new ChatOptions { Instructions = profile.Instructions, Tools = plan.ToolsFor?.Invoke(profile) },
            })).ToList();
        var workflow = Build(plan.Orchestration, agents);
        var input = plan.Conversation.Select(ToChatMessage).ToList();

        var streamed = false;
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
                case AgentResponseUpdateEvent update when update.Update.Text is { Length: > 0 } text:
                    streamed = true;
                    await recorder.TextAsync(AuthorOf(update, names), update.Update.MessageId, text);
                    break;
                case ExecutorCompletedEvent:
                    // An executor (an agent, or a group chat's manager) finished: whatever reply was open is whole.
                    await recorder.EndReplyAsync();
                    break;
                case WorkflowOutputEvent output when !output.IsIntermediate() && output.Is<List<ChatMessage>>(out var messages):
                    if (!streamed)
                    {
                        await RecordAsync(recorder, names, messages.Skip(input.Count));
                    }

                    if (!recorder.HasReplies)
                    {
                        throw new AgentRunFailedException("The team gave no reply.", null);
                    }

                    return;
            }
        }

        throw new AgentRunFailedException("The agent workflow ended without an answer.", null);
    }

    private Workflow Build(string orchestration, List<AIAgent> agents)
    {
        switch (orchestration)
        {
            case Orchestrations.GroupChat:
                var rounds = options.Value.GroupChatRounds;
                return AgentWorkflowBuilder
                    .CreateGroupChatBuilderWith(team => new RoundRobinGroupChatManager(team) { MaximumIterationCount = rounds * team.Count })
                    .AddParticipants(agents)
                    .Build();
            case Orchestrations.Handoff when agents.Count > 1:
                return AgentWorkflowBuilder.CreateHandoffBuilderWith(agents[0]).WithHandoffs(agents[0], agents.Skip(1)).Build();
            default:
                return AgentWorkflowBuilder.BuildSequential(agents);
        }
    }

    private static async Task RecordAsync(TurnRecorder recorder, string[] names, IEnumerable<ChatMessage> produced)
    {
        foreach (var message in produced.Where(m => m.AuthorName is { } author && names.Contains(author) && !string.IsNullOrEmpty(m.Text)))
        {
            await recorder.TextAsync(message.AuthorName!, message.MessageId ?? Guid.NewGuid().ToString("N"), message.Text);
        }
    }

    // Updates carry the agent's name; the executor id (which starts with it) is the fallback.
    private static string AuthorOf(AgentResponseUpdateEvent update, string[] names) =>
        update.Update.AuthorName is { } author && names.Contains(author)
            ? author
            : names.FirstOrDefault(name => update.ExecutorId.StartsWith(name, StringComparison.Ordinal)) ?? update.ExecutorId;

    private static ChatMessage ToChatMessage(ConversationEntry entry) => entry.Role switch
    {
        "system" => new ChatMessage(ChatRole.System, entry.Content),
        // No author name for the human: usernames may hold characters OpenAI-compatible APIs refuse in "name".
        "user" => new ChatMessage(ChatRole.User, entry.Content),
        _ => new ChatMessage(ChatRole.Assistant, entry.Content) { AuthorName = entry.Author },
    };
}

/// <summary>The agent team could not complete a turn.</summary>
public sealed class AgentRunFailedException(string message, Exception? inner) : Exception(message, inner);
