using System.Globalization;
using AgentSilo.Api.Errors;
using AgentSilo.Users;

namespace AgentSilo.Api.Quota;

/// <summary>
/// Answers from the admission that authentication already obtained from the user grain: the rate-limit headers on
/// metered answers, and 429 without running the endpoint when the bucket is empty.
/// </summary>
public sealed class QuotaMiddleware(RequestDelegate next)
{
    private static readonly PathString[] MeteredPrefixes = ["/threads", "/agents", "/admin"];

    /// <summary>Requests that take a token from the user's bucket (API.md, Quota).</summary>
    public static bool IsMetered(PathString path) => MeteredPrefixes.Any(path.StartsWithSegments);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Items[typeof(Admission)] is not Admission admission || !IsMetered(context.Request.Path))
        {
            await next(context);
            return;
        }

        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["X-RateLimit-Limit"] = admission.Limit.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Remaining"] = admission.Remaining.ToString(CultureInfo.InvariantCulture);
            headers["X-RateLimit-Reset"] = admission.ResetSeconds.ToString(CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });

        if (admission.Status == AdmissionStatus.QuotaExceeded)
        {
            Problems.SetRetryAfter(context.Response, admission.RetryAfterSeconds);
            await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                "The request quota is spent; retry after the number of seconds in Retry-After.");
            return;
        }

        await next(context);
    }
}
