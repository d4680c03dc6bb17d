using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents;

/// <summary>
/// Passes every call through to the model and adds the usage figures the model reports to the turn's
/// <see cref="TurnUsage"/>, whether the agent called it streaming or not. The daily budget is charged from this sum.
/// </summary>
public sealed class UsageCountingChatClient(IChatClient inner, TurnUsage usage) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        usage.Add(response.Usage);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            foreach (var content in update.Contents.OfType<UsageContent>())
            {
                usage.Add(content.Details);
            }

            yield return update;
        }
    }
}
