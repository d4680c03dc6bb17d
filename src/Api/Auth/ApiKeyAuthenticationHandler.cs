using System.Security.Claims;
using System.Text.Encodings.Web;
using AgentSilo.Access;
using AgentSilo.Api.Errors;
using AgentSilo.Api.Quota;
using AgentSilo.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Auth;

/// <summary>
/// Authenticates <c>X-API-Key</c>. One call to the owner's user grain checks the key's hash, expiry and the owner's
/// disabled flag, and takes the request's token from the owner's quota bucket, as a bearer token's admission does.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IClusterClient cluster)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    // One text for unknown, wrong, revoked and expired keys and disabled owners: the answer tells an attacker nothing.
    private const string Invalid = "The API key is not valid.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[TokenTransportGuard.ApiKeyHeader];
        if (values.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count != 1 || !ApiKey.TryParse(values[0], out var key))
        {
            return AuthenticateResult.Fail(Invalid);
        }

        var admitted = await cluster.GetGrain<IUserApiKeys>(key.UserId)
            .AdmitApiKeyAsync(key.KeyId, key.Secret, takeQuotaToken: QuotaMiddleware.IsMetered(Request.Path));
        if (admitted is not { Admission.Status: not AdmissionStatus.Unauthenticated, User: { } user, Scopes: { } scopes })
        {
            return AuthenticateResult.Fail(Invalid);
        }

        Claim[] claims =
        [
            new(ClaimNames.Subject, user.UserId),
            new(ClaimNames.Name, user.Username),
            new(ClaimNames.Scope, ScopeList.Format(scopes)),
            new(ClaimNames.ClientId, key.Prefix),
            .. user.Roles.Select(role => new Claim(ClaimNames.Roles, role)),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimNames.Name, ClaimNames.Roles));
        Context.Items[typeof(Caller)] = CredentialSchemes.ApiKeyCaller(principal, Request);
        Context.Items[typeof(Admission)] = admitted.Admission;
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>RFC 6750 §3 forms, as for bearer tokens, so clients handle both credentials alike.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var failed = result.Failure is not null;
        Response.Headers.WWWAuthenticate = failed ? $"Bearer error=\"invalid_token\", error_description=\"{Invalid}\"" : "Bearer";
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, failed ? Invalid : "An access token or API key is required.");
    }

    /// <summary>Key management is refused with its reason; a missing scope is answered as for bearer tokens.</summary>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (CredentialSchemes.RefusesApiKeys(Context))
        {
            await Problems.WriteAsync(Context, StatusCodes.Status403Forbidden,
                "An API key cannot manage API keys or sessions; use an access token.");
            return;
        }

        await Context.ForbidAsync(JwtBearerDefaults.AuthenticationScheme, properties);
    }
}
