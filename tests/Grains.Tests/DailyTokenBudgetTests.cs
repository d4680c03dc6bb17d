using AgentSilo.Access;
using AgentSilo.Grains.Users;
using AgentSilo.Testing;

namespace AgentSilo.Grains.Tests;

public sealed class DailyTokenBudgetTests
{
    private const long PerDay = 1_000;

    // 18:00 UTC: six hours to midnight.
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 18, 0, 0, TimeSpan.Zero));
    private readonly ModelBudgetState _state = new();

    [Fact]
    public void Usage_below_the_budget_is_allowed_and_counted()
    {
        var budget = new DailyTokenBudget(_state, PerDay, _clock);

        budget.EnsureAvailable();
        budget.Charge(400);
        budget.Charge(599);
        budget.EnsureAvailable();

        Assert.Equal(999, budget.Usage.ModelTokensToday);
        Assert.Equal(PerDay, budget.Usage.ModelTokenBudget);
    }

    [Fact]
    public void A_spent_budget_is_refused_until_midnight_utc()
    {
        var budget = new DailyTokenBudget(_state, PerDay, _clock);
        budget.Charge(PerDay + 250);

        var refused = Assert.Throws<QuotaExceededException>(budget.EnsureAvailable);
        Assert.Equal((int)TimeSpan.FromHours(6).TotalSeconds, refused.RetryAfterSeconds);

        _clock.Advance(TimeSpan.FromHours(6) - TimeSpan.FromSeconds(1));
        Assert.Equal(1, Assert.Throws<QuotaExceededException>(budget.EnsureAvailable).RetryAfterSeconds);

        _clock.Advance(TimeSpan.FromSeconds(1));
        budget.EnsureAvailable();
        Assert.Equal(0, budget.Usage.ModelTokensToday);
    }

    [Fact]
    public void A_charge_on_a_new_day_starts_from_zero()
    {
        var budget = new DailyTokenBudget(_state, PerDay, _clock);
        budget.Charge(900);

        _clock.Advance(TimeSpan.FromDays(1));
        budget.Charge(50);

        Assert.Equal(50, budget.Usage.ModelTokensToday);
        Assert.Equal(DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime), _state.Day);
    }
}
