using AgentSilo.Access;
using AgentSilo.Grains.Admin;
using AgentSilo.Grains.Agents;
using AgentSilo.Grains.Agents.Models;
using AgentSilo.Grains.Agents.Safety;
using AgentSilo.Grains.Threads;
using AgentSilo.Grains.Users;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains;

/// <summary>Registers the collaborators the grains depend on: storage, policy, agents, options.</summary>
public static class GrainServices
{
    /// <summary>
    /// Adds the grains' collaborators, storing in <paramref name="storageConnectionString"/>. Options bind from the
    /// host's configuration (sections <c>Auth</c>, <c>Quota</c>, <c>Agents</c>, <c>Models</c>, <c>Safety</c>,
    /// <c>RateLimiting:LoginBackoff</c>) and are validated when the host starts.
    /// A <see cref="TimeProvider"/> or <see cref="IAgentChatClients"/> registered before this call is kept.
    /// </summary>
    public static IServiceCollection AddAgentSiloGrainServices(this IServiceCollection services, string storageConnectionString)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section)
            .Validate(o => o.PasswordHashIterations >= AccountOptions.MinimumPasswordHashIterations,
                $"Auth:PasswordHashIterations must be at least {AccountOptions.MinimumPasswordHashIterations}.")
            .Validate(o => o.RefreshTokenDays is >= 1 and <= 365, "Auth:RefreshTokenDays must be 1 to 365.")
            .ValidateOnStart();
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section)
            .Validate(o => o.Capacity >= 1, "Quota:Capacity must be at least 1.")
            .Validate(o => o.RefillPerSecond > 0 && double.IsFinite(o.RefillPerSecond), "Quota:RefillPerSecond must be a positive number.")
            .Validate(o => o.ModelTokensPerDay >= 1, "Quota:ModelTokensPerDay must be at least 1.")
            .Validate(o => o.ModelTokensPerDayByRole.All(pair => AccessRoles.All.Contains(pair.Key.ToLowerInvariant()) && pair.Value >= 1),
                "Quota:ModelTokensPerDayByRole:<role> must name a role (guest, user, admin) and be at least 1.")
            .ValidateOnStart();
        services.AddOptions<LoginThrottleOptions>().BindConfiguration(LoginThrottleOptions.Section)
            .Validate(o => o.Account.IsValid && o.Address.IsValid, "RateLimiting:LoginBackoff has a value out of range.")
            .ValidateOnStart();
        services.AddOptions<ModelsOptions>().BindConfiguration(ModelsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelsOptions>, ModelsOptionsValidator>();
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();

        services.AddOptions<SafetyOptions>().BindConfiguration(SafetyOptions.Section)
            .Validate(o => o.InputAction is SafetyOptions.Flag or SafetyOptions.Block, "Safety:InputAction must be 'flag' or 'block'.")
            .Validate(o => o.InputPatterns.All(SafetyOptions.IsValidPattern), "Safety:InputPatterns holds a pattern that is not a valid regular expression.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new TableServiceClient(storageConnectionString));
        services.TryAddSingleton<IAgentChatClients, ConfiguredAgentChatClients>();
        services.AddSingleton<ModelRegistry>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<MessageStore>();
        services.AddSingleton<IdempotencyLedger>();
        services.AddSingleton<ThreadIndex>();
        services.AddSingleton<ThreadAccessPolicy>();
        services.AddSingleton<AgentProfiles>();
        services.AddSingleton<AgentTeamRunner>();
        services.AddSingleton<AgentProfileRules>();
        services.AddSingleton<InputScreen>();
        services.AddSingleton<ThreadTurn>();
        return services;
    }
}
