using AgentSilo.Access;
using AgentSilo.Api.Errors;
using AgentSilo.Api.Quota;
using AgentSilo.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace AgentSilo.Api.Auth;

/// <summary>RFC 6750 answers for failed authentication and authorization, and the per-request admission check.</summary>
public static class BearerEvents
{
    public static JwtBearerEvents Create() => new()
    {
        OnTokenValidated = AdmitAsync,
        OnChallenge = ChallengeAsync,
        OnForbidden = ForbiddenAsync,
    };

    // A JWT stays valid until it expires; asking the user grain on every request is what makes a disabled user,
    // an ended session or a logout-all take effect on the very next request (DESIGN.md, decision 2).
    private static async Task AdmitAsync(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (!StrictJwt.IsUnambiguous(context.SecurityToken, principal))
        {
            context.Fail("The token names a member more than once.");
            return;
        }

        var subject = principal.FindFirst(ClaimNames.Subject)?.Value;
        var session = principal.FindFirst(ClaimNames.Session)?.Value;
        if (string.IsNullOrEmpty(subject) || string.IsNullOrEmpty(session))
        {
            context.Fail("The token has no subject or no session.");
            return;
        }

        var http = context.HttpContext;
        var caller = principal.ToCaller(http.Request);
        var cluster = http.RequestServices.GetRequiredService<IClusterClient>();
        var admission = await cluster.GetGrain<IUserGrain>(subject)
            .AdmitAsync(session, takeQuotaToken: QuotaMiddleware.IsMetered(http.Request.Path));
        if (admission.Status == AdmissionStatus.Unauthenticated)
        {
            context.Fail("The session has ended or the user is disabled.");
            return;
        }

        http.Items[typeof(Caller)] = caller;
        http.Items[typeof(Admission)] = admission;
    }

    private static async Task ChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var detail = "An access token is required.";
        var header = "Bearer";
        if (context.AuthenticateFailure is not null)
        {
            // Our own Fail(...) messages (ended session, disabled user) are written for clients; IdentityModel's
            // descriptions name the rule that failed. Anything else gets a generic text.
            detail = context.AuthenticateFailure is AuthenticationFailureException own ? own.Message
                : string.IsNullOrEmpty(context.ErrorDescription) ? "The access token is not valid."
                : context.ErrorDescription;
            header = $"Bearer error=\"invalid_token\", error_description=\"{Quote(detail)}\"";
        }

        context.Response.Headers.WWWAuthenticate = header;
        await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, detail);
    }

    private static async Task ForbiddenAsync(ForbiddenContext context)
    {
        var http = context.HttpContext;
        var missing = MissingScopes(http);
        if (missing.Length > 0)
        {
            http.Response.Headers.WWWAuthenticate =
                $"Bearer error=\"insufficient_scope\", scope=\"{ScopeList.Format(missing)}\"";
        }

        var detail = missing.Length > 0
            ? $"The access token lacks the scope {ScopeList.Format(missing)}."
            : "The caller may not use this resource.";
        await Problems.WriteAsync(http, StatusCodes.Status403Forbidden, detail);
    }

    /// <summary>The scopes this endpoint's policies name (policy names are scope names) that the token lacks.</summary>
    private static string[] MissingScopes(HttpContext context)
    {
        var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(data => data.Policy)
            .OfType<string>() ?? [];
        var held = ScopeList.Of(context.User);
        return AccessScopes.All.Where(scope => policies.Contains(scope) && !held.Contains(scope)).ToArray();
    }

    // RFC 6750 §3 forbids '"' and '\' inside the quoted error_description.
    private static string Quote(string value) => new(value.Where(c => c is >= ' ' and <= '~' and not '"' and not '\\').ToArray());
}
