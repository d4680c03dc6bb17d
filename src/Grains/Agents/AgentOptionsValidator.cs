using AgentSilo.Grains.Agents.Models;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Agents;

/// <summary>Checks the agent settings against each other and against the configured models.</summary>
public sealed class AgentOptionsValidator(IOptions<ModelsOptions> models) : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (!AgentProfiles.IsValidTeam(options.DefaultTeam))
        {
            failures.Add($"{AgentOptions.Section}:DefaultTeam names an unknown agent.");
        }

        var model = options.DefaultModel?.Trim() ?? string.Empty;
        if (!string.Equals(model, ModelsOptions.Offline, StringComparison.OrdinalIgnoreCase) && !models.Value.ContainsKey(model))
        {
            failures.Add($"{AgentOptions.Section}:DefaultModel names no configured model: set {ModelsOptions.Section}:{model}:Provider, or use 'offline'.");
        }

        if (options.TurnTimeoutSeconds is < 1 or > AgentOptions.MaxTurnTimeoutSeconds)
        {
            failures.Add($"{AgentOptions.Section}:TurnTimeoutSeconds must be 1 to {AgentOptions.MaxTurnTimeoutSeconds}.");
        }

        if (options.GroupChatRounds is < 1 or > 5)
        {
            failures.Add($"{AgentOptions.Section}:GroupChatRounds must be 1 to 5.");
        }

        if (!string.Equals(options.WhileTurnRuns, AgentOptions.Reject, StringComparison.OrdinalIgnoreCase) && !options.QueuesPosts)
        {
            failures.Add($"{AgentOptions.Section}:WhileTurnRuns must be '{AgentOptions.Reject}' or '{AgentOptions.Queue}'.");
        }

        if (options.QueueWaitSeconds is < 1 or > 60)
        {
            failures.Add($"{AgentOptions.Section}:QueueWaitSeconds must be 1 to 60.");
        }
        else if (options.QueuesPosts && options.TurnTimeoutSeconds + options.QueueWaitSeconds > AgentOptions.MaxTurnTimeoutSeconds + 5)
        {
            // A queued post waits, then runs its own turn, inside one grain call that times out at 120 seconds.
            failures.Add($"{AgentOptions.Section}:TurnTimeoutSeconds plus QueueWaitSeconds must be at most {AgentOptions.MaxTurnTimeoutSeconds + 5} when posts queue.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
