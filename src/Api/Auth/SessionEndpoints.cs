using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Auth;

/// <summary>Ending sessions: one by its refresh token (RFC 7009), or all of the caller's at once.</summary>
public static class SessionEndpoints
{
    /// <summary>
    /// <c>POST /auth/revoke</c>. Answers 200 whatever the token (RFC 7009 §2.2), so it reveals nothing about which
    /// tokens exist. Access tokens are not revoked one by one: logout-all ends their sessions.
    /// </summary>
    public static async Task<Results<Ok, BadRequest<OAuthError>>> RevokeAsync(HttpContext context, IClusterClient cluster)
    {
        TokenResponses.NoStore(context.Response);
        var (form, error) = await OAuthForm.ReadAsync(context.Request, "token", "token_type_hint");
        if (form is null)
        {
            return TypedResults.BadRequest(error);
        }

        if (RefreshToken.TryParse(form.Get("token"), out var token))
        {
            await cluster.GetGrain<IUserGrain>(token.UserId).RevokeSessionAsync(token.SessionId, token.Secret);
        }

        return TypedResults.Ok();
    }

    /// <summary><c>POST /auth/logout-all</c>: every refresh token and every outstanding access token of the caller stops working.</summary>
    public static async Task<NoContent> LogoutAllAsync(HttpContext context, IClusterClient cluster)
    {
        await cluster.GetGrain<IUserGrain>(context.GetCaller().UserId).EndAllSessionsAsync();
        return TypedResults.NoContent();
    }
}
