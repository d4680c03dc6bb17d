using Microsoft.AspNetCore.Mvc;

namespace AgentSilo.Api.Errors;

/// <summary>Writes problem details from places that are not endpoints (middleware, authentication events).</summary>
public static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string detail, Exception? exception = null)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Detail = detail },
        });
    }

    /// <summary>Retry-After in whole seconds, never below one (RFC 9110 §10.2.3; a zero invites a hot loop).</summary>
    public static void SetRetryAfter(HttpResponse response, double seconds) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(seconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
