namespace AgentSilo.Api.Auth;

/// <summary>The JWT claim names this API writes and reads (RFC 9068 §2.2, RFC 7519, RFC 8693 for client_id).</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string TokenId = "jti";
    public const string ClientId = "client_id";
    public const string Scope = "scope";
    public const string Roles = "roles";
    public const string Name = "name";
    public const string Session = "sid";
}
