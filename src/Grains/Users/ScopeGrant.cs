namespace AgentSilo.Grains.Users;

/// <summary>Which scopes a token gets: the requested ones if all are within <c>limit</c>, or all of <c>limit</c> when none are named.</summary>
public static class ScopeGrant
{
    /// <summary>The granted scopes in the order of <paramref name="limit"/>, or null when a requested scope is outside it.</summary>
    public static string[]? Resolve(string[]? requested, IReadOnlyCollection<string> limit)
    {
        if (requested is null || requested.Length == 0)
        {
            return [.. limit];
        }

        if (requested.Any(scope => !limit.Contains(scope, StringComparer.Ordinal)))
        {
            return null;
        }

        return limit.Where(scope => requested.Contains(scope, StringComparer.Ordinal)).ToArray();
    }
}
