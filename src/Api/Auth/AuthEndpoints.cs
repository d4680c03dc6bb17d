using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Auth;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth").WithTags("Auth");

        auth.MapPost("/token", TokenEndpoint.HandleAsync).AllowAnonymous().RequireRateLimiting(LoginRateLimiting.Policy)
            .DisableAntiforgery();
        auth.MapPost("/revoke", SessionEndpoints.RevokeAsync).AllowAnonymous().DisableAntiforgery();
        auth.MapPost("/logout-all", SessionEndpoints.LogoutAllAsync).RequireAuthorization(CredentialSchemes.NotApiKeyPolicy);

        // Not mapped at all when off, so the route answers 404 before any body is read.
        if (app.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>().Value.AllowRegistration)
        {
            auth.MapPost("/register", RegistrationEndpoint.HandleAsync).AllowAnonymous()
                .RequireRateLimiting(LoginRateLimiting.Policy);
        }

        return app;
    }
}
