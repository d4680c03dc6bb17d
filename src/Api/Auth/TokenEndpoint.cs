using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Auth;

/// <summary><c>POST /auth/token</c>: the password and refresh_token grants of RFC 6749.</summary>
public static class TokenEndpoint
{
    public const string DefaultClientId = "agentsilo";

    public static async Task<Results<Ok<TokenResponse>, BadRequest<OAuthError>, ProblemHttpResult>> HandleAsync(
        HttpContext context, IClusterClient cluster, AccessTokenIssuer issuer, UsernameThrottle throttle)
    {
        TokenResponses.NoStore(context.Response);
        var (form, error) = await OAuthForm.ReadAsync(context.Request, "grant_type", "username", "password",
            "refresh_token", "scope", "client_id");
        if (form is null)
        {
            return TypedResults.BadRequest(error);
        }

        var clientId = form.Get("client_id") ?? DefaultClientId;
        if (!RefreshToken.IsWellFormedPart(clientId))
        {
            return TypedResults.BadRequest(OAuthError.InvalidRequest("client_id is malformed."));
        }

        if (!ScopeList.TryParse(form.Get("scope"), out var scopes))
        {
            return TypedResults.BadRequest(OAuthError.InvalidScope);
        }

        return form.Get("grant_type") switch
        {
            null => TypedResults.BadRequest(OAuthError.InvalidRequest("grant_type is required.")),
            "password" => await PasswordAsync(form, scopes, clientId, context, cluster, issuer, throttle),
            "refresh_token" => await RefreshAsync(form, scopes, clientId, cluster, issuer),
            _ => TypedResults.BadRequest(OAuthError.UnsupportedGrantType),
        };
    }

    private static async Task<Results<Ok<TokenResponse>, BadRequest<OAuthError>, ProblemHttpResult>> PasswordAsync(
        OAuthForm form, string[]? scopes, string clientId, HttpContext context, IClusterClient cluster,
        AccessTokenIssuer issuer, UsernameThrottle throttle)
    {
        var (username, password) = (form.Get("username"), form.Get("password"));
        if (username is null || password is null)
        {
            return TypedResults.BadRequest(OAuthError.InvalidRequest("username and password are required."));
        }

        // No account can have such a name or password, so nothing is worth hashing.
        if (username.Length > Usernames.MaxLength || password.Length > RegistrationEndpoint.MaxPassword)
        {
            return TypedResults.BadRequest(OAuthError.InvalidGrant);
        }

        var normalized = Usernames.Normalize(username);
        using var lease = throttle.Acquire(normalized);
        if (!lease.IsAcquired)
        {
            return TokenResponses.TooManyAttempts(context.Response, lease);
        }

        var attempt = await LoginBackoff.BeginAsync(cluster, context, normalized);
        if (attempt.RetryAfterSeconds > 0)
        {
            return TokenResponses.TooManyAttempts(context.Response, attempt.RetryAfterSeconds);
        }

        var result = await cluster.GetGrain<IUsernameGrain>(normalized).SignInAsync(password, scopes);

        // An invalid_scope answer comes only after the password matched.
        await attempt.EndAsync(result.Status != SignInStatus.InvalidCredentials);
        return TokenResponses.From(result, clientId, issuer);
    }

    private static async Task<Results<Ok<TokenResponse>, BadRequest<OAuthError>, ProblemHttpResult>> RefreshAsync(
        OAuthForm form, string[]? scopes, string clientId, IClusterClient cluster, AccessTokenIssuer issuer)
    {
        var raw = form.Get("refresh_token");
        if (raw is null)
        {
            return TypedResults.BadRequest(OAuthError.InvalidRequest("refresh_token is required."));
        }

        if (!RefreshToken.TryParse(raw, out var token))
        {
            return TypedResults.BadRequest(OAuthError.InvalidGrant);
        }

        var result = await cluster.GetGrain<IUserGrain>(token.UserId).RefreshAsync(token.SessionId, token.Secret, scopes);
        return TokenResponses.From(result, clientId, issuer);
    }
}
