using AgentSilo.Access;

namespace AgentSilo.Grains.Tests;

/// <summary>Callers as the API would build them, each with fresh ids so tests never share state.</summary>
public static class Callers
{
    public static Caller NewUser() => New([AccessRoles.User], [AccessScopes.Read, AccessScopes.Write]);

    public static Caller NewAdmin(string? reason = null) =>
        New([AccessRoles.Admin], AccessScopes.All) with { AuditReason = reason };

    public static Caller NewGuest() => New([AccessRoles.Guest], [AccessScopes.Read]);

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static string NewUsername() => "u" + Guid.NewGuid().ToString("N")[..12];

    private static Caller New(string[] roles, string[] scopes)
    {
        var id = NewId();
        return new Caller(id, "name-" + id[..8], roles, scopes, "test");
    }
}
