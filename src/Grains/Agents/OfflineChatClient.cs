using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents;

/// <summary>
/// A deterministic stand-in for a language model: no network, and the same conversation always gives the same
/// reply. Every reply starts with <c>[offline name]</c> so nobody mistakes it for a model's answer.
/// </summary>
/// <param name="agentName">The agent this client answers for.</param>
/// <param name="agentNames">
/// Every agent's name. A workflow hands each agent the replies of the agents before it as user-role messages
/// authored by those agents, so the names tell the human's message apart from theirs.
/// </param>
public sealed class OfflineChatClient(string agentName, IReadOnlyCollection<string> agentNames) : IChatClient
{
    private const int ExcerptLength = 80;
    private const int ChunkCount = 3;

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var history = messages.ToList();
        if (Handoff(history, options) is { } handoff)
        {
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [handoff]) { AuthorName = agentName })
            {
                ModelId = ModelId,
                FinishReason = ChatFinishReason.ToolCalls,
            });
        }

        var text = Compose(history);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text) { AuthorName = agentName })
        {
            ModelId = ModelId,
            Usage = Usage(history, text),
            FinishReason = ChatFinishReason.Stop,
        };
        return Task.FromResult(response);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var messageId = Guid.NewGuid().ToString("N");
        if (Handoff(history, options) is { } handoff)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, [handoff])
            {
                AuthorName = agentName,
                MessageId = messageId,
                ModelId = ModelId,
                FinishReason = ChatFinishReason.ToolCalls,
            };
            yield break;
        }

        var text = Compose(history);
        var chunkLength = (int)Math.Ceiling(text.Length / (double)ChunkCount);
        for (var start = 0; start < text.Length; start += chunkLength)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, text.Substring(start, Math.Min(chunkLength, text.Length - start)))
            {
                AuthorName = agentName,
                MessageId = messageId,
                ModelId = ModelId,
            };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(history, text))])
        {
            AuthorName = agentName,
            MessageId = messageId,
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static string ModelId => "offline";

    private string Compose(IReadOnlyList<ChatMessage> history)
    {
        var lastUser = history.LastOrDefault(m => m.Role == ChatRole.User && !IsAgent(m))?.Text ?? string.Empty;
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(lastUser)))[..8];
        var earlierReplies = history.Count(m => m.Role == ChatRole.Assistant || IsAgent(m));
        var excerpt = lastUser.Length <= ExcerptLength ? lastUser : lastUser[..ExcerptLength] + "…";
        return $"[offline {agentName}] On \"{excerpt}\" (digest {digest}), having read {history.Count} messages " +
            $"and {earlierReplies} earlier replies, the {agentName} would answer here. No language model is configured.";
    }

    /// <summary>
    /// Offered handoff functions (a handoff workflow's triage agent), the client hands over to one of them, chosen by
    /// the user's message so the same message always goes to the same specialist.
    /// </summary>
    private FunctionCallContent? Handoff(IReadOnlyList<ChatMessage> history, ChatOptions? options)
    {
        var handoffs = options?.Tools?.Where(tool => tool.Name.StartsWith(HandoffPrefix, StringComparison.Ordinal)).ToList();
        if (handoffs is not { Count: > 0 } || history.Any(m => m.Contents.OfType<FunctionResultContent>().Any()))
        {
            return null;
        }

        var lastUser = history.LastOrDefault(m => m.Role == ChatRole.User && !IsAgent(m))?.Text ?? string.Empty;
        var pick = SHA256.HashData(Encoding.UTF8.GetBytes(lastUser))[0] % handoffs.Count;
        return new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..12], handoffs[pick].Name);
    }

    private const string HandoffPrefix = "handoff_to_";

    private bool IsAgent(ChatMessage message) => message.AuthorName is { } author && agentNames.Contains(author);

    private static UsageDetails Usage(IReadOnlyList<ChatMessage> history, string reply)
    {
        // A rough, stable estimate (about four characters per token) so that budgets work offline too.
        long input = history.Sum(m => (m.Text?.Length ?? 0) / 4 + 1);
        long output = reply.Length / 4 + 1;
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }
}
