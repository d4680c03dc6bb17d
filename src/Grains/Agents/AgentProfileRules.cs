using AgentSilo.Access;
using AgentSilo.Agents;
using AgentSilo.Grains.Agents.Models;
using AgentSilo.Grains.Agents.Tools;

namespace AgentSilo.Grains.Agents;

/// <summary>What a stored agent profile must be: a good name, a configured model, known tools and roles, bounded text.</summary>
public sealed class AgentProfileRules(ModelRegistry models)
{
    public const int MaxProfiles = 100;
    public const int MaxDescriptionLength = 500;
    public const int MaxInstructionsLength = 8_000;
    public const int MaxTools = 16;

    public AgentDefinition Validate(AgentDefinition profile)
    {
        var name = profile.Name?.Trim() ?? string.Empty;
        if (!ModelsOptionsValidator.IsValidName(name))
        {
            throw new ValidationFailedException("name must be 1 to 32 lower-case letters, digits or dashes, starting with a letter.");
        }

        var description = profile.Description?.Trim() ?? string.Empty;
        if (description.Length > MaxDescriptionLength)
        {
            throw new ValidationFailedException($"description must be at most {MaxDescriptionLength} characters.");
        }

        // Every user sees the description in /agents: no control characters, no text that reads backwards.
        PlainText.EnsureLabel(description, "description");

        var instructions = profile.Instructions?.Trim() ?? string.Empty;
        if (instructions.Length is 0 or > MaxInstructionsLength)
        {
            throw new ValidationFailedException($"instructions must be 1 to {MaxInstructionsLength} characters.");
        }

        var model = profile.Model?.Trim().ToLowerInvariant() ?? string.Empty;
        if (!models.Exists(model))
        {
            throw new ValidationFailedException($"model must be one of the configured models: {string.Join(", ", models.Names.Order())}.");
        }

        var tools = Distinct(profile.Tools, "tools");
        if (tools.Length > MaxTools || tools.Any(tool => !AgentToolCatalog.Names.Contains(tool)))
        {
            throw new ValidationFailedException($"tools must be at most {MaxTools} of: {string.Join(", ", AgentToolCatalog.Names)}.");
        }

        var roles = Distinct(profile.AllowedRoles, "allowedRoles");
        if (roles.Length == 0 || roles.Any(role => !AccessRoles.All.Contains(role)))
        {
            throw new ValidationFailedException($"allowedRoles must name at least one of: {string.Join(", ", AccessRoles.All)}.");
        }

        return new AgentDefinition(name, description, instructions, model, tools, roles);
    }

    private static string[] Distinct(string[]? values, string field)
    {
        var list = values ?? [];
        if (list.Any(string.IsNullOrWhiteSpace) || list.Distinct(StringComparer.Ordinal).Count() != list.Length)
        {
            throw new ValidationFailedException($"{field} must not hold empty or repeated names.");
        }

        return list;
    }
}
