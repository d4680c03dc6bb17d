using AgentSilo.Access;
using AgentSilo.Api.Auth.External;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddAgentSiloAuth(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SigningKeyLoader>();
        services.AddSingleton(provider => provider.GetRequiredService<SigningKeyLoader>().Load());
        services.AddHostedService<SigningKeyWarmup>();
        services.AddSingleton<AccessTokenIssuer>();

        services.AddAuthentication(CredentialSchemes.Default).AddJwtBearer().AddAgentSiloCredentials()
            .AddExternalIssuers(builder.Configuration);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, SigningKeyStore>(ConfigureBearer);

        // Policy names are scope names, so the forbidden handler can name the scope a request lacked.
        services.AddAuthorizationBuilder()
            .AddPolicy(AccessScopes.Read, policy => policy.RequireAuthenticatedUser().RequireScope(AccessScopes.Read))
            .AddPolicy(AccessScopes.Write, policy => policy.RequireAuthenticatedUser().RequireScope(AccessScopes.Write))
            .AddPolicy(AccessScopes.Admin, policy => policy.RequireAuthenticatedUser()
                .RequireScope(AccessScopes.Admin).RequireRole(AccessRoles.Admin));
        return builder;
    }

    private static void ConfigureBearer(JwtBearerOptions bearer, IOptions<AuthOptions> auth, SigningKeyStore keys)
    {
        // Keep "sub", "roles" and "scope" as written; the default maps them to long WS-* claim types.
        bearer.MapInboundClaims = false;
        bearer.RequireHttpsMetadata = false;
        bearer.Events = BearerEvents.Create();
        var validation = StrictTokenValidation.For(auth.Value.Issuer, auth.Value.Audience, [SigningKey.Algorithm]);
        validation.ValidTypes = [AccessTokenIssuer.TokenType];
        // Keys come only from our store, by kid; never from jku/x5u/jwk headers in the token.
        validation.IssuerSigningKeyResolver = (_, _, keyId, _) => keys.Resolve(keyId);
        bearer.TokenValidationParameters = validation;
    }
}
