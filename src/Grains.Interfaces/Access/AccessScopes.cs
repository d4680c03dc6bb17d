namespace AgentSilo.Access;

/// <summary>OAuth2 scopes of contract v1.</summary>
public static class AccessScopes
{
    public const string Read = "chatbot:read";
    public const string Write = "chatbot:write";
    public const string Admin = "admin";

    public static readonly string[] All = [Read, Write, Admin];
}
