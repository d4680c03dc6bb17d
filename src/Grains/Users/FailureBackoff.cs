namespace AgentSilo.Grains.Users;

/// <summary>The counting of <see cref="BackoffRule"/> for one key, on an injected clock.</summary>
public sealed class FailureBackoff(BackoffRule rule, TimeProvider time)
{
    private int _failures;
    private DateTimeOffset _lastFailure;
    private DateTimeOffset _lockedUntil;

    /// <summary>0 when an attempt may start (and is counted as a failure for now), else the whole seconds to wait.</summary>
    public int Begin()
    {
        var now = time.GetUtcNow();
        if (_failures > 0 && now - _lastFailure >= TimeSpan.FromMinutes(rule.ForgetAfterMinutes))
        {
            _failures = 0;
        }

        if (now < _lockedUntil)
        {
            return Math.Max(1, (int)Math.Ceiling((_lockedUntil - now).TotalSeconds));
        }

        _failures++;
        _lastFailure = now;
        var beyondFree = _failures - rule.FreeFailures;
        if (beyondFree > 0)
        {
            var delay = Math.Min(rule.MaxDelaySeconds, rule.BaseDelaySeconds * Math.Pow(2, Math.Min(beyondFree - 1, 30)));
            _lockedUntil = now + TimeSpan.FromSeconds(delay);
        }

        return 0;
    }

    /// <summary>Forgets every failure: the account's owner has just proved the password.</summary>
    public void Reset()
    {
        _failures = 0;
        _lockedUntil = default;
    }

    /// <summary>Takes back the count of one attempt that turned out not to be a failure.</summary>
    public void Forgive() => _failures = Math.Max(0, _failures - 1);
}
