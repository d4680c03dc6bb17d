using System.Text.Json.Serialization;
using AgentSilo.Access;
using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Auth;

/// <summary>
/// <c>POST /auth/register</c>. Roles are not part of the body: a self-registered account is always a plain user,
/// and a body that tries to say otherwise is refused rather than silently ignored.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record RegisterRequest(string? Username, string? Password, string? DisplayName);

public sealed record RegisteredUser(string UserId, string Username);

public static class RegistrationEndpoint
{
    public const int MinPassword = 12;
    public const int MaxPassword = 256;

    public static async Task<Results<Created<RegisteredUser>, ProblemHttpResult>> HandleAsync(
        RegisterRequest body, HttpContext context, IClusterClient cluster, UsernameThrottle throttle)
    {
        if (string.IsNullOrWhiteSpace(body.Username) || body.Username.Length > Usernames.MaxLength)
        {
            throw new ValidationFailedException("username is required (at most 256 characters).");
        }

        if (body.Password is null || body.Password.Length is < MinPassword or > MaxPassword)
        {
            throw new ValidationFailedException("password must be 12 to 256 characters long.");
        }

        var normalized = Usernames.Normalize(body.Username);
        using var lease = throttle.Acquire(normalized);
        if (!lease.IsAcquired)
        {
            return TokenResponses.TooManyAttempts(context.Response, lease);
        }

        var account = new NewAccount(body.Username, body.Password, body.DisplayName, [AccessRoles.User]);
        var result = await cluster.GetGrain<IUsernameGrain>(normalized).RegisterAsync(account);
        if (!result.Created || result.UserId is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, detail: "The username is taken.");
        }

        return TypedResults.Created("/users/me", new RegisteredUser(result.UserId, result.Username));
    }
}
