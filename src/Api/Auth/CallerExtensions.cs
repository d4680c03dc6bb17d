using System.Security.Claims;
using AgentSilo.Access;

namespace AgentSilo.Api.Auth;

public static class CallerExtensions
{
    public const string AuditReasonHeader = "X-Audit-Reason";
    public const string BearerMethod = "bearer";
    private const int MaxAuditReasonLength = 500;

    /// <summary>Builds the caller from a validated token; nothing else the client sends decides who it is.</summary>
    public static Caller ToCaller(this ClaimsPrincipal user, HttpRequest request) => new(
        UserId: user.FindFirst(ClaimNames.Subject)!.Value,
        Username: user.FindFirst(ClaimNames.Name)?.Value ?? string.Empty,
        Roles: user.FindAll(ClaimNames.Roles).Select(claim => claim.Value).ToArray(),
        Scopes: ScopeList.Of(user),
        AuthMethod: BearerMethod,
        AuditReason: AuditReason(request));

    /// <summary>The caller that authentication stored for this request.</summary>
    public static Caller GetCaller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller
        ?? throw new InvalidOperationException("No caller: the endpoint must require authorization.");

    // The reason is free text for an audit trail: bounded, and without control characters that could forge lines.
    private static string? AuditReason(HttpRequest request)
    {
        var raw = request.Headers[AuditReasonHeader].ToString().Trim();
        if (raw.Length == 0)
        {
            return null;
        }

        // Bidirectional overrides would make the record read as something else.
        var cleaned = new string(raw.Where(c => !char.IsControl(c) && !PlainText.IsBidiControl(c)).ToArray());
        return cleaned.Length <= MaxAuditReasonLength ? cleaned : cleaned[..MaxAuditReasonLength];
    }
}
