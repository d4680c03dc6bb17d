namespace AgentSilo.Grains.Agents.Models;

/// <summary>One model connection (configuration section <c>Models:&lt;name&gt;</c>).</summary>
public sealed class ModelSettings
{
    /// <summary><c>offline</c> (the deterministic stand-in) or <c>openai</c> (any OpenAI-compatible endpoint).</summary>
    public string? Provider { get; set; }

    /// <summary>Base URL of an OpenAI-compatible API, e.g. <c>http://localhost:11434/v1</c> (provider openai).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model name the endpoint knows, e.g. <c>gpt-4o-mini</c> or <c>llama3.2</c> (provider openai).</summary>
    public string? Model { get; set; }

    /// <summary>Sent as the bearer key; optional for local servers. Never logged, never returned by any route.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Retries of a failed model call (429, 5xx, network) by the OpenAI client, 0 to 5.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The provider, trimmed and lower case; null when unset.</summary>
    public string? ProviderName => string.IsNullOrWhiteSpace(Provider) ? null : Provider.Trim().ToLowerInvariant();

    // Options objects end up in debugger views and careless log lines: keep the key out of the text form.
    public override string ToString() => $"{ProviderName} {Endpoint} {Model}";
}

/// <summary>Every configured model by name (section <c>Models</c>); <see cref="Offline"/> always exists besides.</summary>
public sealed class ModelsOptions : Dictionary<string, ModelSettings>
{
    public const string Section = "Models";
    public const string Offline = "offline";
    public const string OfflineProvider = "offline";
    public const string OpenAiProvider = "openai";

    public ModelsOptions() : base(StringComparer.OrdinalIgnoreCase)
    {
    }
}
