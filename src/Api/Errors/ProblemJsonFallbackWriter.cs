using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Errors;

/// <summary>
/// Writes problem details as <c>application/problem+json</c> whatever the request's <c>Accept</c> says. The
/// framework's writer declines requests that do not accept JSON (a streaming client's <c>text/event-stream</c>),
/// and an error answer that cannot be written became a 500. Registered after the default writer, so it is only
/// used when that one declines.
/// </summary>
public sealed class ProblemJsonFallbackWriter(IOptions<JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ProblemDefaults.Complete(context.ProblemDetails, context.HttpContext);
        await context.HttpContext.Response.WriteAsJsonAsync(
            context.ProblemDetails, json.Value.SerializerOptions, "application/problem+json", context.HttpContext.RequestAborted);
    }
}
