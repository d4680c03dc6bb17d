using System.Text.Json.Serialization;
using AgentSilo.Agents;

namespace AgentSilo.Api.Agents;

/// <summary>An agent profile as an administrator sends it; unknown members (builtIn included) fail binding.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AgentProfileRequest(
    string? Name, string? Description, string? Instructions, string? Model, string[]? Tools, string[]? AllowedRoles)
{
    public AgentDefinition ToDefinition(string? pathName = null) => new(
        Name ?? pathName ?? string.Empty, Description ?? string.Empty, Instructions ?? string.Empty, Model ?? string.Empty,
        Tools ?? [], AllowedRoles ?? []);
}
