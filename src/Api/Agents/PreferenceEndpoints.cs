using System.Text.Json.Serialization;
using AgentSilo.Access;
using AgentSilo.Api.Auth;
using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Agents;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PreferencesBody(string? Language, string? About);

/// <summary><c>PATCH /users/me</c>: the personal context the agents receive. Unknown members (roles, scopes, ...) fail binding.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record UpdateMeRequest(string? DisplayName, PreferencesBody? Preferences);

public static class PreferenceEndpoints
{
    public static IEndpointRouteBuilder MapPreferenceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPatch("/users/me", UpdateAsync).WithTags("Users").RequireAuthorization(AccessScopes.Write);
        return app;
    }

    private static async Task<Ok<UserPreferences>> UpdateAsync(UpdateMeRequest body, HttpContext context, IClusterClient cluster)
    {
        var caller = context.GetCaller();
        var changes = new UserPreferences(body.DisplayName, body.Preferences?.Language, body.Preferences?.About);
        return TypedResults.Ok(await cluster.GetGrain<IUserPreferencesGrain>(caller.UserId).UpdateAsync(caller, changes));
    }
}
