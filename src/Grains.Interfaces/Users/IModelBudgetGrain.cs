namespace AgentSilo.Users;

/// <summary>
/// A user's daily budget of model tokens (input + output, per UTC day; key: the user id). The thread grain asks
/// before a turn runs and charges what the turn used afterwards, so the budget is exact across every silo and API
/// instance: one activation owns each user's figure.
/// </summary>
public interface IModelBudgetGrain : IGrainWithStringKey
{
    /// <summary>
    /// Throws <see cref="Access.QuotaExceededException"/> (retry after the next UTC midnight) when today's budget is spent.
    /// </summary>
    /// <param name="roles">The caller's roles, which choose the budget (<c>Quota:ModelTokensPerDayByRole</c>).</param>
    Task EnsureAvailableAsync(string[] roles);

    /// <summary>Adds <paramref name="tokens"/> to today's usage and returns the new figures.</summary>
    Task<ModelUsage> ChargeAsync(long tokens, string[] roles);

    /// <summary>Today's usage and the budget.</summary>
    Task<ModelUsage> GetUsageAsync(string[] roles);
}

/// <summary>Model tokens used today (UTC) and the day's budget.</summary>
[GenerateSerializer, Immutable, Alias("AgentSilo.ModelUsage")]
public sealed record ModelUsage(
    [property: Id(0)] long ModelTokensToday,
    [property: Id(1)] long ModelTokenBudget);
