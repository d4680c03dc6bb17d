using AgentSilo.Access;
using AgentSilo.Grains.Agents;

namespace AgentSilo.Grains.Threads;

/// <summary>The validation rules of thread fields and posted content.</summary>
public static class ThreadRules
{
    public const string DefaultTitle = "New thread";
    public const int MaxTitleLength = 200;
    public const int MaxMetadataPairs = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;
    public const int MaxAgents = 8;
    public const int MaxContentLength = 32_768;

    public static string Title(string? title)
    {
        if (title is null)
        {
            return DefaultTitle;
        }

        var trimmed = title.Trim();
        if (trimmed.Length > MaxTitleLength)
        {
            throw new ValidationFailedException($"The title must be at most {MaxTitleLength} characters.");
        }

        PlainText.EnsureLabel(trimmed, "title");

        return trimmed.Length == 0 ? DefaultTitle : trimmed;
    }

    public static Dictionary<string, string> Metadata(Dictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        if (metadata.Count > MaxMetadataPairs)
        {
            throw new ValidationFailedException($"At most {MaxMetadataPairs} metadata pairs are allowed.");
        }

        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxMetadataKeyLength)
            {
                throw new ValidationFailedException($"Metadata keys must be 1 to {MaxMetadataKeyLength} characters.");
            }

            if (value is null || value.Length > MaxMetadataValueLength)
            {
                throw new ValidationFailedException($"Metadata values must be strings of at most {MaxMetadataValueLength} characters.");
            }

            PlainText.EnsureLabel(key, "metadata key");
            PlainText.EnsureLabel(value, "metadata value");
        }

        return new Dictionary<string, string>(metadata, StringComparer.Ordinal);
    }

    /// <summary>The team of a new thread: the named agents, each known and usable by the caller, or the default team.</summary>
    public static string[] Agents(string[]? agents, string[] defaultTeam, AgentDirectory profiles, Caller caller)
    {
        if (agents is null || agents.Length == 0)
        {
            return defaultTeam;
        }

        if (agents.Length > MaxAgents)
        {
            throw new ValidationFailedException($"A thread may have at most {MaxAgents} agents.");
        }

        if (agents.Distinct(StringComparer.Ordinal).Count() != agents.Length)
        {
            throw new ValidationFailedException("An agent may be named only once.");
        }

        foreach (var name in agents)
        {
            var profile = profiles.Find(name ?? string.Empty) ?? throw new ValidationFailedException($"Unknown agent '{name}'.");
            if (!profile.UsableBy(caller.Roles))
            {
                throw new ForbiddenException($"You may not use the agent '{name}'.");
            }
        }

        return [.. agents];
    }

    /// <summary>The orchestration of a new thread; none given means sequential.</summary>
    public static string Orchestration(string? orchestration) =>
        Orchestrations.Parse(orchestration)
        ?? throw new ValidationFailedException($"orchestration must be one of: {string.Join(", ", Orchestrations.All)}.");

    public static void Content(string? content)
    {
        if (string.IsNullOrEmpty(content) || content.Length > MaxContentLength)
        {
            throw new ValidationFailedException($"The content must be 1 to {MaxContentLength} characters.");
        }

        PlainText.EnsureMessage(content, "content");
    }
}
