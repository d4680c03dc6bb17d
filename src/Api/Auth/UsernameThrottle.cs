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
        username => RateLimitPartition.GetTokenBucketLimiter(username, _ => Bucket(options.Value.PermitsPerMinute)));

    /// <summary>
    /// <paramref name="permitsPerMinute"/> attempts at once, given back one at a time over the minute. Unlike a fixed
    /// window, whose Retry-After is always the whole window, the bucket's Retry-After is the wait for the next attempt.
    /// </summary>
    public static TokenBucketRateLimiterOptions Bucket(int permitsPerMinute) => new()
    {
        TokenLimit = permitsPerMinute,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / permitsPerMinute,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>Takes one attempt for <paramref name="normalizedUsername"/>; a lease that is not acquired means reject.</summary>
    public RateLimitLease Acquire(string normalizedUsername) => _limiter.AttemptAcquire(normalizedUsername);

    public void Dispose() => _limiter.Dispose();
}
