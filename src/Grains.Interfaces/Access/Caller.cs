namespace AgentSilo.Access;

/// <summary>
/// Who is asking, as the API established it from a validated credential. Every grain method that reads or
/// changes protected state takes the caller explicitly and decides access itself (DESIGN.md, decision 1).
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.Caller")]
public sealed record Caller(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username,
    [property: Id(2)] string[] Roles,
    [property: Id(3)] string[] Scopes,
    [property: Id(4)] string AuthMethod,
    [property: Id(5)] string? AuditReason = null)
{
    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool HasScope(string scope) => Scopes.Contains(scope, StringComparer.Ordinal);

    /// <summary>Admin override needs both the role and the scope: a narrowed admin token is an ordinary user.</summary>
    public bool IsAdmin => HasRole(AccessRoles.Admin) && HasScope(AccessScopes.Admin);
}
