namespace AgentSilo.Access;

/// <summary>How the API authenticated a <see cref="Caller"/> (<see cref="Caller.AuthMethod"/>).</summary>
public static class AuthMethods
{
    /// <summary>An access token (a JWT bearer token).</summary>
    public const string Bearer = "bearer";

    /// <summary>An API key sent as <c>X-API-Key</c>. Such a caller may not manage API keys or sessions.</summary>
    public const string ApiKey = "api-key";
}
