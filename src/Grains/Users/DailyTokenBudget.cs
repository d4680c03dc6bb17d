using AgentSilo.Access;
using AgentSilo.Users;

namespace AgentSilo.Grains.Users;

/// <summary>
/// The rules of the daily model-token budget over its stored state: usage counts per UTC day and starts again at
/// midnight UTC. A turn's cost is known only after it ran, so the turn that crosses the budget completes and the
/// next one is refused.
/// </summary>
public sealed class DailyTokenBudget(ModelBudgetState state, long tokensPerDay, TimeProvider time)
{
    /// <summary>Today's usage, with a stored figure from an earlier day read as zero.</summary>
    public long UsedToday => state.Day == Today ? state.Used : 0;

    public ModelUsage Usage => new(UsedToday, tokensPerDay);

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public void EnsureAvailable()
    {
        if (UsedToday >= tokensPerDay)
        {
            throw new QuotaExceededException(
                "Today's model-token budget is spent; it starts again at midnight UTC.", SecondsUntilMidnight());
        }
    }

    public void Charge(long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        var used = UsedToday;
        state.Day = Today;
        state.Used = used + tokens;
    }

    private int SecondsUntilMidnight()
    {
        var now = time.GetUtcNow();
        var midnight = new DateTimeOffset(Today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return Math.Max(1, (int)Math.Ceiling((midnight - now).TotalSeconds));
    }
}

/// <summary>The stored state of one user's model-token budget (grain storage <c>users</c>).</summary>
public sealed class ModelBudgetState
{
    public DateOnly Day { get; set; }

    public long Used { get; set; }
}
