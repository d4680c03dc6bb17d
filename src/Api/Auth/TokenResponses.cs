using System.Threading.RateLimiting;
using AgentSilo.Api.Errors;
using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Auth;

public static class TokenResponses
{
    /// <summary>RFC 6749 §5.1: token answers must not be cached by anyone.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    public static Results<Ok<TokenResponse>, BadRequest<OAuthError>, ProblemHttpResult> From(
        SignInResult result, string clientId, AccessTokenIssuer issuer)
    {
        if (result.Status == SignInStatus.InvalidScope)
        {
            return TypedResults.BadRequest(OAuthError.InvalidScope);
        }

        if (result is not { Status: SignInStatus.Succeeded, User: { } user, SessionId: { } session, RefreshSecret: { } secret })
        {
            return TypedResults.BadRequest(OAuthError.InvalidGrant);
        }

        var refresh = new RefreshToken(user.UserId, session, secret);
        if (!RefreshToken.TryParse(refresh.ToString(), out _))
        {
            // The grain produced a part the refresh-token format cannot carry; failing loudly beats a token that never works.
            throw new InvalidOperationException("The user grain returned a session or secret outside the refresh-token alphabet.");
        }

        var scopes = result.Scopes ?? [];
        return TypedResults.Ok(new TokenResponse(
            AccessToken: issuer.Issue(user, session, scopes, clientId),
            TokenType: "Bearer",
            ExpiresIn: (int)issuer.Lifetime.TotalSeconds,
            RefreshToken: refresh.ToString(),
            Scope: ScopeList.Format(scopes)));
    }

    public static ProblemHttpResult TooManyAttempts(HttpResponse response, RateLimitLease lease) =>
        TooManyAttempts(response, lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait.TotalSeconds : 60);

    public static ProblemHttpResult TooManyAttempts(HttpResponse response, double retryAfterSeconds)
    {
        Problems.SetRetryAfter(response, retryAfterSeconds);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests,
            detail: "Too many attempts; retry after the number of seconds in Retry-After.");
    }
}
