using AgentSilo.Access;
using AgentSilo.Agents;

namespace AgentSilo.Grains.Agents;

public sealed class AgentProfileGrain(
    [PersistentState("agents", "agents")] IPersistentState<AgentProfileState> state,
    AgentProfiles builtIn,
    AgentProfileRules rules) : Grain, IAgentProfileGrain
{
    private List<AgentDefinition> Stored => state.State.Profiles;

    public Task<AgentDefinition[]> ListAsync(Caller caller)
    {
        RequireAdmin(caller);
        AgentDefinition[] all = [.. builtIn.All.Select(p => p.ToDefinition()), .. Stored.OrderBy(p => p.Name, StringComparer.Ordinal)];
        return Task.FromResult(all);
    }

    public async Task<AgentDefinition> CreateAsync(Caller caller, AgentDefinition profile)
    {
        RequireAdmin(caller);
        var valid = rules.Validate(profile);
        RequireNotBuiltIn(valid.Name);
        if (Stored.Any(p => p.Name == valid.Name))
        {
            throw new ConflictException($"An agent profile named '{valid.Name}' exists.");
        }

        if (Stored.Count >= AgentProfileRules.MaxProfiles)
        {
            throw new ConflictException($"At most {AgentProfileRules.MaxProfiles} agent profiles can be stored.");
        }

        Stored.Add(valid);
        await state.WriteStateAsync();
        return valid;
    }

    public async Task<AgentDefinition> ReplaceAsync(Caller caller, string name, AgentDefinition profile)
    {
        RequireAdmin(caller);
        RequireNotBuiltIn(name);
        var valid = rules.Validate(profile);
        if (valid.Name != name)
        {
            throw new ValidationFailedException("name must match the name in the path.");
        }

        var index = IndexOf(name);
        Stored[index] = valid;
        await state.WriteStateAsync();
        return valid;
    }

    public async Task DeleteAsync(Caller caller, string name)
    {
        RequireAdmin(caller);
        RequireNotBuiltIn(name);
        Stored.RemoveAt(IndexOf(name));
        await state.WriteStateAsync();
    }

    public Task<AgentDefinition[]> StoredAsync() => Task.FromResult(Stored.ToArray());

    private int IndexOf(string name)
    {
        var index = Stored.FindIndex(p => p.Name == name);
        return index >= 0 ? index : throw new NotFoundException("No such agent profile.");
    }

    private void RequireNotBuiltIn(string name)
    {
        if (builtIn.Find(name) is not null)
        {
            throw new ConflictException($"'{name}' is a built-in agent profile and cannot be changed.");
        }
    }

    private static void RequireAdmin(Caller caller)
    {
        if (!caller.IsAdmin)
        {
            throw new ForbiddenException("Only administrators manage agent profiles.");
        }
    }
}
