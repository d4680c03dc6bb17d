using System.Security.Claims;
using AgentSilo.Access;
using AgentSilo.Api.Quota;
using AgentSilo.Users;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AgentSilo.Api.Auth.External;

/// <summary>
/// What happens after an external provider's token passed signature, issuer, audience, lifetime and type checks:
/// ID tokens are refused, the (issuer, subject) pair becomes or finds its local user, the user grain admits the
/// request (disabled users and logged-out tokens are refused, quota is taken), and the principal is replaced by the
/// local one so that authorization sees only the local user id, the mapped roles and the granted scopes.
/// </summary>
public static class ExternalTokenAdmission
{
    private const int MaxSubjectLength = 255;

    // Claims that only ID tokens carry (OpenID Connect Core §2, §3.3.2.11): such a token is not an access token.
    private static readonly string[] IdTokenClaims = ["nonce", "at_hash", "c_hash"];

    public static async Task AdmitAsync(TokenValidatedContext context, string provider, ExternalIssuerOptions options)
    {
        var principal = context.Principal!;
        if (context.SecurityToken is not JsonWebToken token)
        {
            context.Fail("The token is not a JWT.");
            return;
        }

        if (!StrictJwt.IsUnambiguous(token, principal))
        {
            context.Fail("The token names a member more than once.");
            return;
        }

        if (IdTokenClaims.Any(type => principal.HasClaim(claim => claim.Type == type)))
        {
            context.Fail("An ID token is not an access token.");
            return;
        }

        var subject = token.Subject;
        if (string.IsNullOrEmpty(subject) || subject.Length > MaxSubjectLength || subject.Any(char.IsControl))
        {
            context.Fail("The token has no usable subject.");
            return;
        }

        if (!token.TryGetPayloadValue<long>("iat", out var issuedAt))
        {
            context.Fail("The token has no issued-at time.");
            return;
        }

        var roles = ExternalClaimMapping.Roles(principal, options);
        if (roles.Length == 0)
        {
            context.Fail("The account has no role in this API.");
            return;
        }

        var username = ExternalClaimMapping.Username(provider, principal, options, subject);
        var signIn = new ExternalSignIn(
            provider, token.Issuer, subject, username, ExternalClaimMapping.DisplayName(principal, username), roles,
            DateTimeOffset.FromUnixTimeSeconds(issuedAt));

        var http = context.HttpContext;
        var cluster = http.RequestServices.GetRequiredService<IClusterClient>();
        var admitted = await cluster.GetGrain<IExternalIdentityGrain>(ExternalIdentityKey.Of(token.Issuer, subject))
            .AdmitAsync(signIn, takeQuotaToken: QuotaMiddleware.IsMetered(http.Request.Path));
        if (admitted.Admission.Status == AdmissionStatus.Unauthenticated || admitted.User is not { } user)
        {
            context.Fail("The session has ended or the user is disabled.");
            return;
        }

        var scopes = ExternalClaimMapping.Scopes(principal, options, AccessRoles.AllowedScopes(user.Roles));
        context.Principal = LocalPrincipal(user, scopes, context.Scheme.Name);
        http.Items[typeof(Caller)] = context.Principal.ToCaller(http.Request) with { AuthMethod = context.Scheme.Name };
        http.Items[typeof(Admission)] = admitted.Admission;
    }

    private static ClaimsPrincipal LocalPrincipal(UserProfile user, string[] scopes, string scheme)
    {
        var identity = new ClaimsIdentity(scheme, ClaimNames.Name, ClaimNames.Roles);
        identity.AddClaim(new Claim(ClaimNames.Subject, user.UserId));
        identity.AddClaim(new Claim(ClaimNames.Name, user.Username));
        identity.AddClaim(new Claim(ClaimNames.Scope, ScopeList.Format(scopes)));
        identity.AddClaims(user.Roles.Select(role => new Claim(ClaimNames.Roles, role)));
        return new ClaimsPrincipal(identity);
    }
}
