using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth.External;

/// <summary>
/// Single sign-on: one JwtBearer scheme per <c>Auth:External:&lt;name&gt;</c> section, with Authority-based
/// discovery (<c>/.well-known/openid-configuration</c> and its <c>jwks_uri</c>), behind the policy scheme
/// <see cref="ExternalIssuerSchemes.Selector"/> that picks the scheme by the token's issuer. Without such sections
/// the policy scheme forwards every request to the local JwtBearer scheme.
/// </summary>
public static class ExternalSignInExtensions
{
    private static readonly string[] AccessTokenTypes = [AccessTokenIssuer.TokenType, "application/at+jwt"];

    public static AuthenticationBuilder AddExternalIssuers(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        authentication.AddPolicyScheme(ExternalIssuerSchemes.Selector, "Bearer (local or external issuer)",
            policy => policy.ForwardDefaultSelector = ExternalIssuerSchemes.Select);
        var names = configuration.GetSection(ExternalIssuerOptions.Section).GetChildren().Select(section => section.Key).ToArray();
        if (names.Length == 0)
        {
            return authentication;
        }

        var services = authentication.Services;
        services.AddSingleton<IValidateOptions<ExternalIssuerOptions>, ExternalIssuerOptionsValidator>();
        services.AddSingleton(provider => new ExternalIssuerSchemes(
            names, provider.GetRequiredService<IOptionsMonitor<ExternalIssuerOptions>>()));
        services.AddHostedService<ExternalIssuerWarmup>();
        foreach (var name in names)
        {
            if (!IsValidName(name))
            {
                throw new InvalidOperationException(
                    $"{ExternalIssuerOptions.Section}:{name}: a provider name has 1 to 32 letters, digits, '-' or '_'.");
            }

            services.AddOptions<ExternalIssuerOptions>(name).BindConfiguration($"{ExternalIssuerOptions.Section}:{name}").ValidateOnStart();
            var scheme = ExternalIssuerSchemes.SchemeName(name);
            authentication.AddJwtBearer(scheme);
            services.AddOptions<JwtBearerOptions>(scheme).Configure<IOptionsMonitor<ExternalIssuerOptions>>(
                (bearer, all) => ConfigureBearer(bearer, name, all.Get(name)));
        }

        return authentication;
    }

    private static void ConfigureBearer(JwtBearerOptions bearer, string name, ExternalIssuerOptions options)
    {
        bearer.Authority = options.Authority;
        bearer.RequireHttpsMetadata = options.RequireHttpsMetadata;
        bearer.MapInboundClaims = false;
        var events = BearerEvents.Create();
        events.OnTokenValidated = context => ExternalTokenAdmission.AdmitAsync(context, name, options);
        bearer.Events = events;
        // This issuer only, with the keys of its own discovery document only.
        var validation = StrictTokenValidation.For(options.Authority, options.Audience, options.EffectiveAlgorithms);
        validation.ValidTypes = options.RequireAccessTokenType ? AccessTokenTypes : [];
        validation.TypeValidator = options.RequireAccessTokenType ? null : PlainJwtType;
        bearer.TokenValidationParameters = validation;
    }

    // Providers of plain JWT access tokens send typ "JWT" or none; any other type names another kind of token
    // (logout+jwt, secevent+jwt, ...). ID tokens look the same as such access tokens: ExternalTokenAdmission refuses them.
    private static string PlainJwtType(string? type, SecurityToken token, TokenValidationParameters parameters) =>
        string.IsNullOrEmpty(type) || type == "JWT" || AccessTokenTypes.Contains(type, StringComparer.OrdinalIgnoreCase)
            ? type ?? string.Empty
            : throw new SecurityTokenInvalidTypeException($"The token type '{type}' is not an access token.") { InvalidType = type };

    private static bool IsValidName(string name) =>
        name.Length is >= 1 and <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
