using AgentSilo.Users;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AgentSilo.Grains.Users;

public sealed class ModelBudgetGrain(
    [PersistentState("budget", "users")] IPersistentState<ModelBudgetState> state,
    IOptions<QuotaOptions> options,
    TimeProvider time) : Grain, IModelBudgetGrain
{
    public Task EnsureAvailableAsync(string[] roles)
    {
        Budget(roles).EnsureAvailable();
        return Task.CompletedTask;
    }

    public async Task<ModelUsage> ChargeAsync(long tokens, string[] roles)
    {
        var budget = Budget(roles);
        if (tokens > 0)
        {
            // Stored on every charge: a budget that forgot its usage when the activation went away would not be one.
            budget.Charge(tokens);
            await state.WriteStateAsync();
        }

        return budget.Usage;
    }

    public Task<ModelUsage> GetUsageAsync(string[] roles) => Task.FromResult(Budget(roles).Usage);

    private DailyTokenBudget Budget(string[] roles) => new(state.State, options.Value.ModelTokensPerDayFor(roles), time);
}
