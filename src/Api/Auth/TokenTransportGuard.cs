using AgentSilo.Api.Errors;

namespace AgentSilo.Api.Auth;

/// <summary>
/// Refuses ambiguous or leaky credential transport before authentication runs: a token in the query string ends up
/// in logs and Referer headers (RFC 6750 §5.3), and a request with two credentials has no single identity.
/// </summary>
public static class TokenTransportGuard
{
    public const string ApiKeyHeader = "X-API-Key";

    public static IApplicationBuilder UseTokenTransportGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var problem = request.Query.ContainsKey("access_token")
            ? "Access tokens are not accepted in the query string; send an Authorization header."
            : request.Headers.Authorization.Count > 0 && request.Headers.ContainsKey(ApiKeyHeader)
                ? "Send either an Authorization header or an X-API-Key header, not both."
                : null;
        if (problem is null)
        {
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_request\"";
        await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, problem);
    });
}
