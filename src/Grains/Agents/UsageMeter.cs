using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents;

/// <summary>Adds the model's usage figures of every call, streamed or not, to the turn's count.</summary>
public sealed class UsageMeter(IChatClient inner, TurnRecorder recorder) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        Count(response.Usage);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                Count(usage.Details);
            }

            yield return update;
        }
    }

    private void Count(UsageDetails? usage) => recorder.AddUsage(usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);
}
