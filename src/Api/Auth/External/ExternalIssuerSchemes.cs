using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AgentSilo.Api.Auth.External;

/// <summary>
/// Chooses the authentication scheme of a bearer token by its issuer. The <c>iss</c> is read without validation,
/// only to choose: the chosen scheme then validates everything with that issuer's keys alone, so a token that lies
/// about its issuer fails there. Tokens of no configured external issuer go to this API's own JwtBearer scheme.
/// </summary>
public sealed class ExternalIssuerSchemes
{
    /// <summary>The policy scheme that forwards to the local or an external bearer scheme.</summary>
    public const string Selector = "BearerByIssuer";

    private const string SchemePrefix = "external:";
    private static readonly JsonWebTokenHandler Reader = new();

    private readonly Dictionary<string, string> _schemeByIssuer;

    public ExternalIssuerSchemes(IEnumerable<string> names, IOptionsMonitor<ExternalIssuerOptions> options)
    {
        _schemeByIssuer = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var authority = options.Get(name).Authority;
            if (!_schemeByIssuer.TryAdd(authority, SchemeName(name)))
            {
                throw new OptionsValidationException(name, typeof(ExternalIssuerOptions),
                    [$"{ExternalIssuerOptions.Section}:{name}:Authority is configured for two providers."]);
            }
        }
    }

    public static string SchemeName(string name) => SchemePrefix + name;

    /// <summary>The external scheme for this request's bearer token, or null when its issuer is not an external one.</summary>
    public string? ExternalSchemeFor(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header["Bearer ".Length..].Trim();
        if (!Reader.CanReadToken(token))
        {
            return null;
        }

        try
        {
            return _schemeByIssuer.GetValueOrDefault(Reader.ReadJsonWebToken(token).Issuer);
        }
        catch (ArgumentException)
        {
            // Malformed: the local scheme refuses it with the usual invalid_token answer.
            return null;
        }
    }

    /// <summary>The scheme for this request: an external issuer's, or the local JwtBearer scheme.</summary>
    public static string Select(HttpContext context) =>
        context.RequestServices.GetService<ExternalIssuerSchemes>()?.ExternalSchemeFor(context.Request)
        ?? JwtBearerDefaults.AuthenticationScheme;
}

/// <summary>Builds the issuer table while the host starts, so two providers with one Authority stop the service.</summary>
public sealed class ExternalIssuerWarmup(ExternalIssuerSchemes schemes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(schemes);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
