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

    public bool UsableBy(IEnumerable<string> roles) => roles.Any(role => AllowedRoles.Contains(role, StringComparer.Ordinal));
}
