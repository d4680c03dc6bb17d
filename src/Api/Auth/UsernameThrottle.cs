using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Auth;

/// <summary>
/// Limits attempts per username, so that guessing one account's password from many addresses is slow too.
/// Idle partitions are dropped by the limiter, so attacker-chosen names do not accumulate.
/// </summary>
public sealed class UsernameThrottle(IOptions<LoginRateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        username => RateLimitPartition.GetFixedWindowLimiter(username, _ => Window(options.Value.PermitsPerMinute)));

    public static FixedWindowRateLimiterOptions Window(int permitsPerMinute) => new()
    {
        PermitLimit = permitsPerMinute,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>Takes one attempt for <paramref name="normalizedUsername"/>; a lease that is not acquired means reject.</summary>
    public RateLimitLease Acquire(string normalizedUsername) => _limiter.AttemptAcquire(normalizedUsername);

    public void Dispose() => _limiter.Dispose();
}
