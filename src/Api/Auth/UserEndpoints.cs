using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Auth;

public sealed record Me(
    string UserId, string Username, string DisplayName, string[] Roles, string[] Scopes, ModelUsage Usage, MePreferences Preferences);

public sealed record MePreferences(string? Language, string? About);

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users").WithTags("Users").RequireAuthorization();
        users.MapGet("/me", GetMeAsync);
        return app;
    }

    private static async Task<Results<Ok<Me>, NotFound>> GetMeAsync(HttpContext context, IClusterClient cluster)
    {
        var caller = context.GetCaller();
        var profile = await cluster.GetGrain<IUserGrain>(caller.UserId).GetProfileAsync();
        if (profile is null)
        {
            return TypedResults.NotFound();
        }

        var usage = await cluster.GetGrain<IModelBudgetGrain>(caller.UserId).GetUsageAsync(profile.Roles);
        var preferences = await cluster.GetGrain<IUserPreferencesGrain>(caller.UserId).GetAsync(caller);
        return TypedResults.Ok(new Me(profile.UserId, profile.Username, preferences.DisplayName ?? profile.DisplayName, profile.Roles,
            caller.Scopes, usage, new MePreferences(preferences.Language, preferences.About)));
    }
}
