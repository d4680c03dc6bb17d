using AgentSilo.Grains.Users;
using AgentSilo.Testing;

namespace AgentSilo.Grains.Tests;

/// <summary>The lockout arithmetic of the login throttle, on a clock that moves only when told.</summary>
public sealed class FailureBackoffTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly BackoffRule _rule = new() { FreeFailures = 3, BaseDelaySeconds = 1, MaxDelaySeconds = 30, ForgetAfterMinutes = 15 };

    [Fact]
    public void Free_failures_pass_then_each_failure_doubles_the_lockout_up_to_the_cap()
    {
        var backoff = new FailureBackoff(_rule, _clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, backoff.Begin());
        }

        var lockouts = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(0, backoff.Begin());
            var wait = backoff.Begin();
            lockouts.Add(wait);
            _clock.Advance(TimeSpan.FromSeconds(wait));
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], lockouts);
    }

    [Fact]
    public void A_refused_attempt_is_not_counted()
    {
        var backoff = new FailureBackoff(_rule, _clock);
        for (var i = 0; i < 4; i++)
        {
            backoff.Begin();
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(1, backoff.Begin());
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, backoff.Begin());
        Assert.Equal(2, backoff.Begin());
    }

    [Fact]
    public void Failures_are_forgotten_after_a_quiet_period()
    {
        var backoff = new FailureBackoff(_rule, _clock);
        for (var i = 0; i < 4; i++)
        {
            backoff.Begin();
        }

        _clock.Advance(TimeSpan.FromMinutes(15));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(0, backoff.Begin());
        }
    }

    [Fact]
    public void Reset_clears_the_lockout_and_forgive_only_takes_back_one_attempt()
    {
        var reset = new FailureBackoff(_rule, _clock);
        var forgiven = new FailureBackoff(_rule, _clock);
        for (var i = 0; i < 4; i++)
        {
            reset.Begin();
            forgiven.Begin();
        }

        reset.Reset();
        forgiven.Forgive();

        Assert.Equal(0, reset.Begin());
        Assert.Equal(1, forgiven.Begin());
    }

    [Fact]
    public void Concurrent_attempts_count_before_they_end()
    {
        // Begin counts each attempt as a failure at once, so parallel guesses cannot all slip in before any ends.
        var backoff = new FailureBackoff(_rule, _clock);
        var started = Enumerable.Range(0, 10).Select(_ => backoff.Begin()).ToArray();
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 1, 1], started);
    }
}
