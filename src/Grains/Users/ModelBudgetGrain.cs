using AgentSilo.Users;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace AgentSilo.Grains.Users;

public sealed class ModelBudgetGrain(
    [PersistentState("budget", "users")] IPersistentState<ModelBudgetState> state,
    IOptions<QuotaOptions> options,
    TimeProvider time) : Grain, IModelBudgetGrain
{
    private DailyTokenBudget Budget => new(state.State, options.Value.ModelTokensPerDay, time);

    public Task EnsureAvailableAsync()
    {
        Budget.EnsureAvailable();
        return Task.CompletedTask;
    }

    public async Task<ModelUsage> ChargeAsync(long tokens)
    {
        var budget = Budget;
        if (tokens > 0)
        {
            // Stored on every charge: a budget that forgot its usage when the activation went away would not be one.
            budget.Charge(tokens);
            await state.WriteStateAsync();
        }

        return budget.Usage;
    }

    public Task<ModelUsage> GetUsageAsync() => Task.FromResult(Budget.Usage);
}
