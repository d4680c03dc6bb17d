using System.Text.Json.Serialization;
using AgentSilo.Access;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Auth;

/// <summary>RFC 8414 authorization server metadata.</summary>
public sealed record AuthorizationServerMetadata(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("revocation_endpoint")] string RevocationEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("grant_types_supported")] string[] GrantTypesSupported,
    [property: JsonPropertyName("scopes_supported")] string[] ScopesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] string[] TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("revocation_endpoint_auth_methods_supported")] string[] RevocationEndpointAuthMethodsSupported,
    [property: JsonPropertyName("response_types_supported")] string[] ResponseTypesSupported);

public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] PublicJwk[] Keys);

public static class WellKnownEndpoints
{
    public static IEndpointRouteBuilder MapWellKnownEndpoints(this IEndpointRouteBuilder app)
    {
        var wellKnown = app.MapGroup("/.well-known").WithTags("Discovery").AllowAnonymous();
        wellKnown.MapGet("/jwks.json", (SigningKeyStore keys) =>
            TypedResults.Ok(new JsonWebKeySet(keys.ValidationKeys.Select(key => key.ToPublicJwk()).ToArray())));
        wellKnown.MapGet("/oauth-authorization-server", (IOptions<AuthOptions> options) => TypedResults.Ok(Metadata(options.Value)));
        return app;
    }

    private static AuthorizationServerMetadata Metadata(AuthOptions options)
    {
        var issuer = options.Issuer.TrimEnd('/');
        return new AuthorizationServerMetadata(
            Issuer: options.Issuer,
            TokenEndpoint: $"{issuer}/auth/token",
            RevocationEndpoint: $"{issuer}/auth/revoke",
            JwksUri: $"{issuer}/.well-known/jwks.json",
            GrantTypesSupported: ["password", "refresh_token"],
            ScopesSupported: AccessScopes.All,
            TokenEndpointAuthMethodsSupported: ["none"],
            RevocationEndpointAuthMethodsSupported: ["none"],
            ResponseTypesSupported: []);
    }
}
