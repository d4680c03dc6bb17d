using System.Threading.RateLimiting;
using AgentSilo.Api.Errors;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Auth;

/// <summary>Limits password guessing on the anonymous endpoints per client address (DESIGN.md, decision 5).</summary>
public static class LoginRateLimiting
{
    public const string Policy = "login";

    public static IHostApplicationBuilder AddAgentSiloLoginRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LoginRateLimitOptions>().BindConfiguration(LoginRateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<UsernameThrottle>();
        builder.Services.AddRateLimiter(limiter =>
        {
            // The default rejection is 503, which tells clients the server is broken rather than that they must wait.
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => new ValueTask(RejectAsync(context.HttpContext, context.Lease));
            limiter.AddPolicy(Policy, context =>
            {
                var permits = context.RequestServices.GetRequiredService<IOptions<LoginRateLimitOptions>>().Value.PermitsPerMinute;
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetTokenBucketLimiter(address, _ => UsernameThrottle.Bucket(permits));
            });
        });
        return builder;
    }

    /// <summary>The one 429 answer of both login limiters.</summary>
    public static Task RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait.TotalSeconds : 60;
        Problems.SetRetryAfter(context.Response, retryAfter);
        TokenResponses.NoStore(context.Response);
        return Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            "Too many attempts; retry after the number of seconds in Retry-After.");
    }
}
