using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace AgentSilo.Api.Auth;

public static class ScopePolicy
{
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, string scope) =>
        policy.RequireAssertion(context => HasScope(context.User, scope));

    public static bool HasScope(ClaimsPrincipal user, string scope) => ScopeList.Of(user).Contains(scope, StringComparer.Ordinal);
}
