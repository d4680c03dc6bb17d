namespace AgentSilo.Grains.Agents;

/// <summary>An agent the cluster can run: its public name and description, its instructions, and who may use it.</summary>
public sealed record AgentProfile(string Name, string Description, string Instructions, string[] AllowedRoles)
{
    public bool UsableBy(IEnumerable<string> roles) => roles.Any(role => AllowedRoles.Contains(role, StringComparer.Ordinal));
}
