using System.Text.Json.Serialization;

namespace AgentSilo.Api.Auth;

/// <summary>RFC 6749 §5.1 successful token answer.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string RefreshToken,
    [property: JsonPropertyName("scope")] string Scope);

/// <summary>RFC 6749 §5.2 error answer.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription)
{
    /// <summary>One answer for an unknown user, a wrong password and a bad refresh token, so none can be told apart.</summary>
    public static OAuthError InvalidGrant { get; } =
        new("invalid_grant", "The credentials or the refresh token are not valid.");

    public static OAuthError InvalidScope { get; } =
        new("invalid_scope", "The requested scope is unknown or exceeds what was granted.");

    public static OAuthError UnsupportedGrantType { get; } =
        new("unsupported_grant_type", "Supported grant types: password, refresh_token.");

    public static OAuthError InvalidRequest(string description) => new("invalid_request", description);
}
