using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Agents.Models;

/// <summary>Refuses to start with a model setting that is missing or wrong, and says which setting it is.</summary>
public sealed partial class ModelsOptionsValidator : IValidateOptions<ModelsOptions>
{
    public const int MaxRetries = 5;

    public ValidateOptionsResult Validate(string? name, ModelsOptions options)
    {
        var failures = options.SelectMany(pair => Check(pair.Key, pair.Value)).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Model and agent names: lower-case letters, digits and dashes, starting with a letter, at most 32.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private static IEnumerable<string> Check(string name, ModelSettings model)
    {
        var prefix = $"{ModelsOptions.Section}:{name}";
        if (!IsValidName(name.ToLowerInvariant()))
        {
            yield return $"{prefix}: a model name is 1 to 32 letters, digits or dashes, starting with a letter.";
            yield break;
        }

        var provider = model.ProviderName;
        if (string.Equals(name, ModelsOptions.Offline, StringComparison.OrdinalIgnoreCase) && provider is not (null or ModelsOptions.OfflineProvider))
        {
            yield return $"{prefix}:Provider must be 'offline': the name 'offline' is reserved for the built-in offline client.";
            yield break;
        }

        switch (provider)
        {
            case ModelsOptions.OfflineProvider:
                break;
            case ModelsOptions.OpenAiProvider:
                if (!Uri.TryCreate(model.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                {
                    yield return $"{prefix}:Endpoint must be the absolute http or https base URL of an OpenAI-compatible API.";
                }

                if (string.IsNullOrWhiteSpace(model.Model))
                {
                    yield return $"{prefix}:Model is required for provider 'openai'.";
                }

                if (model.MaxRetries is < 0 or > MaxRetries)
                {
                    yield return $"{prefix}:MaxRetries must be 0 to {MaxRetries}.";
                }

                break;
            case null:
                yield return $"{prefix}:Provider is required: 'offline' or 'openai'.";
                break;
            default:
                yield return $"{prefix}:Provider must be 'offline' or 'openai'.";
                break;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex NamePattern();
}
