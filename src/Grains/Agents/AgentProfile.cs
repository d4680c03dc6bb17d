using AgentSilo.Agents;

namespace AgentSilo.Grains.Agents;

/// <summary>
/// An agent the cluster can run: its public name and description, its instructions, the model it talks to, the
/// tools it may call and who may use it.
/// </summary>
public sealed record AgentProfile(string Name, string Description, string Instructions, string[] AllowedRoles)
{
    /// <summary>A name under <c>Models</c>, or <c>offline</c>.</summary>
    public string Model { get; init; } = Models.ModelsOptions.Offline;

    /// <summary>Names of tools from the tool catalog.</summary>
    public string[] Tools { get; init; } = [];

    public bool BuiltIn { get; init; }

    public bool UsableBy(IEnumerable<string> roles) => roles.Any(role => AllowedRoles.Contains(role, StringComparer.Ordinal));

    public AgentDefinition ToDefinition() => new(Name, Description, Instructions, Model, Tools, AllowedRoles, BuiltIn);

    public static AgentProfile From(AgentDefinition definition) =>
        new(definition.Name, definition.Description, definition.Instructions, definition.AllowedRoles)
        {
            Model = definition.Model,
            Tools = definition.Tools,
        };
}

/// <summary>The profiles a turn or a new thread can use: the built-in ones, then those administrators stored.</summary>
public sealed class AgentDirectory(IEnumerable<AgentProfile> profiles)
{
    private readonly Dictionary<string, AgentProfile> _byName = profiles
        .DistinctBy(p => p.Name, StringComparer.Ordinal)
        .ToDictionary(p => p.Name, StringComparer.Ordinal);

    public IEnumerable<AgentProfile> All => _byName.Values;

    public AgentProfile? Find(string name) => _byName.GetValueOrDefault(name);
}
