using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Auth;

public sealed record Me(string UserId, string Username, string DisplayName, string[] Roles, string[] Scopes);

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
        return profile is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new Me(profile.UserId, profile.Username, profile.DisplayName, profile.Roles, caller.Scopes));
    }
}
