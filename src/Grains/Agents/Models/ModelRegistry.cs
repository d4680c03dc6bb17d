using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace AgentSilo.Grains.Agents.Models;

/// <summary>
/// The configured models and the chat clients that reach them. An OpenAI-compatible connection is made once per
/// model and shared: the clients are thread-safe and pool their HTTP connections.
/// </summary>
public sealed class ModelRegistry(IOptions<ModelsOptions> options)
{
    private readonly ConcurrentDictionary<string, IChatClient> _remote = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every model name, <c>offline</c> included, lower case.</summary>
    public IReadOnlyCollection<string> Names { get; } =
        options.Value.Keys.Select(name => name.ToLowerInvariant()).Append(ModelsOptions.Offline).Distinct(StringComparer.Ordinal).ToArray();

    public bool Exists(string? name) => name is not null && Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The client an agent named <paramref name="agentName"/> talks to on model <paramref name="modelName"/>.</summary>
    /// <param name="teamNames">The agents of the team, which the offline client tells apart from the human.</param>
    public IChatClient For(string modelName, string agentName, IReadOnlyCollection<string> teamNames)
    {
        var settings = options.Value.GetValueOrDefault(modelName);
        if (settings is null || settings.ProviderName is ModelsOptions.OfflineProvider)
        {
            return string.Equals(modelName, ModelsOptions.Offline, StringComparison.OrdinalIgnoreCase) || settings is not null
                ? new OfflineChatClient(agentName, teamNames)
                : throw new AgentRunFailedException($"The model '{modelName}' is not configured.", null);
        }

        return _remote.GetOrAdd(modelName, _ => Connect(settings));
    }

    private static IChatClient Connect(ModelSettings settings)
    {
        // Local servers (Ollama, vLLM) take any key; the OpenAI client needs a non-empty one.
        var key = new ApiKeyCredential(string.IsNullOrEmpty(settings.ApiKey) ? "no-key" : settings.ApiKey);
        var client = new OpenAIClient(key, new OpenAIClientOptions
        {
            Endpoint = new Uri(settings.Endpoint!),
            RetryPolicy = new ClientRetryPolicy(settings.MaxRetries),
        });
        return client.GetChatClient(settings.Model).AsIChatClient();
    }
}
