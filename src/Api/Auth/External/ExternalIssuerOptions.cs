using System.Net;
using AgentSilo.Access;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth.External;

/// <summary>
/// One external OpenID provider whose access tokens this API accepts: section <c>Auth:External:&lt;name&gt;</c>.
/// Its users become local users keyed by issuer and subject together.
/// </summary>
public sealed class ExternalIssuerOptions
{
    public const string Section = "Auth:External";

    /// <summary>The value meaning "users without a mapped role are refused" in <see cref="DefaultRole"/>.</summary>
    public const string NoRole = "none";

    /// <summary>Signature algorithms accepted by default: asymmetric only, never <c>none</c> or HMAC.</summary>
    public static readonly string[] AsymmetricAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>
    /// The provider's issuer URL, exactly as its tokens' <c>iss</c> and its discovery document say it; metadata is
    /// read from <c>{Authority}/.well-known/openid-configuration</c> and keys from its <c>jwks_uri</c>.
    /// </summary>
    public string Authority { get; set; } = string.Empty;

    /// <summary>The <c>aud</c> the provider puts in access tokens for this API (its resource indicator or app id).</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>The claim that carries the user's groups or roles at the provider. Default <c>roles</c>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Provider group or role value → local role (<c>guest</c>, <c>user</c> or <c>admin</c>).</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The role of a user none of whose values is mapped: a local role, or <c>none</c> to refuse them.</summary>
    public string DefaultRole { get; set; } = AccessRoles.User;

    /// <summary>The claim with the granted scopes, space-separated or an array (<c>scope</c>; Entra ID uses <c>scp</c>).</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>The claim that names a new user (shown as <c>&lt;name&gt;:&lt;value&gt;</c>); <c>sub</c> when absent.</summary>
    public string UsernameClaim { get; set; } = "preferred_username";

    /// <summary>
    /// Require the RFC 9068 header <c>typ: at+jwt</c> (default). Set false only for a provider that issues plain
    /// <c>JWT</c> access tokens; ID tokens are refused either way (audience, and no <c>nonce</c>/<c>at_hash</c>/<c>c_hash</c>).
    /// </summary>
    public bool RequireAccessTokenType { get; set; } = true;

    /// <summary>Fetch metadata and keys over HTTPS only. May be false only for a loopback authority or in Development.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Accepted signature algorithms; a subset of <see cref="AsymmetricAlgorithms"/>.</summary>
    public string[] Algorithms { get; set; } = [];

    public string[] EffectiveAlgorithms => Algorithms.Length > 0 ? Algorithms : AsymmetricAlgorithms;
}

/// <summary>Start-up checks of every <c>Auth:External:&lt;name&gt;</c> section, so a bad one stops the service at once.</summary>
public sealed class ExternalIssuerOptionsValidator(IHostEnvironment environment, IOptions<AuthOptions> auth)
    : IValidateOptions<ExternalIssuerOptions>
{
    public ValidateOptionsResult Validate(string? name, ExternalIssuerOptions options)
    {
        var section = $"{ExternalIssuerOptions.Section}:{name}";
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            failures.Add($"{section}:Authority must be the provider's absolute http(s) issuer URL.");
        }
        else
        {
            var local = authority.IsLoopback || IPAddress.TryParse(authority.Host, out var ip) && IPAddress.IsLoopback(ip);
            if (!options.RequireHttpsMetadata && !local && !environment.IsDevelopment())
            {
                failures.Add($"{section}:RequireHttpsMetadata may be false only for a loopback authority or in Development.");
            }

            if (authority.Scheme == "http" && options.RequireHttpsMetadata)
            {
                failures.Add($"{section}:Authority is http: use https, or set RequireHttpsMetadata=false on loopback.");
            }

            if (string.Equals(options.Authority, auth.Value.Issuer, StringComparison.Ordinal))
            {
                failures.Add($"{section}:Authority must not be this API's own Auth:Issuer.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add($"{section}:Audience is required.");
        }

        if (string.IsNullOrWhiteSpace(options.RoleClaim) || string.IsNullOrWhiteSpace(options.ScopeClaim)
            || string.IsNullOrWhiteSpace(options.UsernameClaim))
        {
            failures.Add($"{section}: RoleClaim, ScopeClaim and UsernameClaim must not be empty.");
        }

        foreach (var (value, role) in options.RoleMap)
        {
            if (!AccessRoles.All.Contains(role, StringComparer.Ordinal))
            {
                failures.Add($"{section}:RoleMap:{value} must be one of {string.Join(", ", AccessRoles.All)}.");
            }
        }

        if (options.DefaultRole != ExternalIssuerOptions.NoRole && !AccessRoles.All.Contains(options.DefaultRole, StringComparer.Ordinal))
        {
            failures.Add($"{section}:DefaultRole must be one of {string.Join(", ", AccessRoles.All)} or {ExternalIssuerOptions.NoRole}.");
        }

        if (options.Algorithms.Any(alg => !ExternalIssuerOptions.AsymmetricAlgorithms.Contains(alg, StringComparer.Ordinal)))
        {
            failures.Add($"{section}:Algorithms may name only {string.Join(", ", ExternalIssuerOptions.AsymmetricAlgorithms)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
