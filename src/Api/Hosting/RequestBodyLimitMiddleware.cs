namespace AgentSilo.Api.Hosting;

/// <summary>
/// Refuses a declared body over the limit before anything reads it. Kestrel enforces the same limit on the
/// bytes actually read; this covers servers without that feature (the test server) and answers early.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > HttpDefaultsExtensions.MaxRequestBodyBytes)
        {
            throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
        }

        return next(context);
    }
}
