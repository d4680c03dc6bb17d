using AgentSilo.Access;
using Microsoft.AspNetCore.Authentication;
using AgentSilo.Api.Auth.External;

namespace AgentSilo.Api.Auth;

/// <summary>
/// The default authentication scheme: a policy scheme that forwards to the API-key handler when the request carries
/// <c>X-API-Key</c>, and otherwise to the bearer scheme of the token's issuer (this API's own JwtBearer, or a
/// configured external provider's), so every authorization policy works for all of them unchanged. (A request
/// with both never gets here: <see cref="TokenTransportGuard"/> refuses it.)
/// </summary>
public static class CredentialSchemes
{
    public const string Default = "AgentSilo";

    /// <summary>Authenticated by anything but an API key: managing keys and sessions needs the user's own token.</summary>
    public const string NotApiKeyPolicy = "not-api-key";

    public static AuthenticationBuilder AddAgentSiloCredentials(this AuthenticationBuilder authentication)
    {
        authentication.AddPolicyScheme(Default, "Access token or API key", policy =>
            policy.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(TokenTransportGuard.ApiKeyHeader)
                ? ApiKeyAuthenticationHandler.SchemeName
                : ExternalIssuerSchemes.Select(context));
        authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        authentication.Services.AddAuthorizationBuilder().AddPolicy(NotApiKeyPolicy, policy => policy.RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.Identity?.AuthenticationType != ApiKeyAuthenticationHandler.SchemeName));
        return authentication;
    }

    /// <summary>Whether the endpoint being answered refuses API keys outright.</summary>
    public static bool RefusesApiKeys(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Any(data => data.Policy == NotApiKeyPolicy) == true;

    /// <summary>The caller a request with an API key acts as: its owner, with the key's scopes.</summary>
    public static Caller ApiKeyCaller(System.Security.Claims.ClaimsPrincipal principal, HttpRequest request) =>
        principal.ToCaller(request) with { AuthMethod = AuthMethods.ApiKey };
}
