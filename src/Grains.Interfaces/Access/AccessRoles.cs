namespace AgentSilo.Access;

/// <summary>The roles of contract v1 and the scopes each one may hold.</summary>
public static class AccessRoles
{
    public const string Guest = "guest";
    public const string User = "user";
    public const string Admin = "admin";

    public static readonly string[] All = [Guest, User, Admin];

    /// <summary>Every scope that at least one of <paramref name="roles"/> allows, in canonical order.</summary>
    public static string[] AllowedScopes(IEnumerable<string> roles)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            switch (role)
            {
                case Guest:
                    set.Add(AccessScopes.Read);
                    break;
                case User:
                    set.Add(AccessScopes.Read);
                    set.Add(AccessScopes.Write);
                    break;
                case Admin:
                    set.Add(AccessScopes.Read);
                    set.Add(AccessScopes.Write);
                    set.Add(AccessScopes.Admin);
                    break;
            }
        }

        return AccessScopes.All.Where(set.Contains).ToArray();
    }
}
