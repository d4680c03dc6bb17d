using AgentSilo.Access;

namespace AgentSilo.Users;

/// <summary>
/// One activation per user (key: the stable user id, the token's <c>sub</c>). It holds credentials, roles, the
/// disabled flag, the user's sessions (refresh-token families) and the request quota bucket. Every
/// authenticated request passes through <see cref="AdmitAsync"/>, which makes revocation instant.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Creates the user; called once by the username index. Fails if the user already exists.</summary>
    Task InitializeAsync(NewAccount account);

    /// <summary>The user's profile, or null when no such user exists.</summary>
    Task<UserProfile?> GetProfileAsync();

    /// <summary>Checks the password and opens a session when it matches and the user is enabled.</summary>
    Task<SignInResult> SignInAsync(string password, string[]? requestedScopes);

    /// <summary>
    /// Redeems a refresh token of session <paramref name="sessionId"/>: the token is single use and is replaced by
    /// a new one; presenting an already used token ends the whole session (RFC 9700 §4.14.2).
    /// </summary>
    Task<SignInResult> RefreshAsync(string sessionId, string secret, string[]? requestedScopes);

    /// <summary>Ends one session when <paramref name="secret"/> is its current or a past refresh token.</summary>
    Task RevokeSessionAsync(string sessionId, string secret);

    /// <summary>Ends every session of the user at once; their access tokens stop working on the next request.</summary>
    Task EndAllSessionsAsync();

    /// <summary>
    /// Decides whether a request with an access token of session <paramref name="sessionId"/> may proceed, and,
    /// when <paramref name="takeQuotaToken"/> is set, takes one token from the user's bucket.
    /// </summary>
    Task<Admission> AdmitAsync(string sessionId, bool takeQuotaToken);

    /// <summary>Disables or enables the user; only an admin caller may, and it is audited.</summary>
    Task SetDisabledAsync(Caller caller, bool disabled);
}

[GenerateSerializer, Immutable, Alias("AgentSilo.UserProfile")]
public sealed record UserProfile(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Username,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] string[] Roles,
    [property: Id(4)] bool Disabled,
    [property: Id(5)] DateTimeOffset CreatedAt);

public enum SignInStatus
{
    Succeeded = 0,
    InvalidCredentials = 1,
    InvalidScope = 2,
}

/// <summary>
/// The outcome of a sign-in or refresh. On success it carries the session and its new refresh-token secret;
/// the API composes the opaque refresh token from user id, session id and secret.
/// </summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.SignInResult")]
public sealed record SignInResult(
    [property: Id(0)] SignInStatus Status,
    [property: Id(1)] UserProfile? User = null,
    [property: Id(2)] string? SessionId = null,
    [property: Id(3)] string? RefreshSecret = null,
    [property: Id(4)] string[]? Scopes = null,
    [property: Id(5)] DateTimeOffset? RefreshExpiresAt = null)
{
    public static SignInResult Invalid { get; } = new(SignInStatus.InvalidCredentials);
}

public enum AdmissionStatus
{
    Allowed = 0,
    /// <summary>The user does not exist, is disabled, or the session has ended: the token is no longer valid.</summary>
    Unauthenticated = 1,
    /// <summary>The request bucket is empty.</summary>
    QuotaExceeded = 2,
}

/// <summary>The outcome of <see cref="IUserGrain.AdmitAsync"/>, with the bucket figures for the rate-limit headers.</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.Admission")]
public sealed record Admission(
    [property: Id(0)] AdmissionStatus Status,
    [property: Id(1)] int Limit,
    [property: Id(2)] int Remaining,
    [property: Id(3)] int ResetSeconds,
    [property: Id(4)] int RetryAfterSeconds,
    [property: Id(5)] string? Reason = null);
