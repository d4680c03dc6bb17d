using AgentSilo.Users;

namespace AgentSilo.Grains.Users;

/// <summary>
/// The request token bucket, refilled lazily from the time of the last refill (no timers). It lives in memory
/// only: storing it on every request would cost a write per request, and losing it when the activation goes
/// away only refills it, which errs on the user's side.
/// </summary>
public sealed class TokenBucket(int capacity, double refillPerSecond, TimeProvider time)
{
    private double _tokens = capacity;
    private DateTimeOffset _lastRefill = time.GetUtcNow();

    public Admission Take()
    {
        Refill();
        if (_tokens < 1)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((1 - _tokens) / refillPerSecond));
            return new Admission(AdmissionStatus.QuotaExceeded, capacity, 0, SecondsUntilFull(), retryAfter, "The request quota is spent.");
        }

        _tokens -= 1;
        return Allowed();
    }

    public Admission Peek()
    {
        Refill();
        return Allowed();
    }

    private Admission Allowed() => new(AdmissionStatus.Allowed, capacity, (int)Math.Floor(_tokens), SecondsUntilFull(), 0);

    private int SecondsUntilFull() => (int)Math.Ceiling((capacity - _tokens) / refillPerSecond);

    private void Refill()
    {
        var now = time.GetUtcNow();
        var elapsed = (now - _lastRefill).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(capacity, _tokens + (elapsed * refillPerSecond));
            _lastRefill = now;
        }
    }
}
