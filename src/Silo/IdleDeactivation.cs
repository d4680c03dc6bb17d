using AgentSilo.Grains.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AgentSilo.Silo;

/// <summary>
/// The <c>Activations</c> section: how long an idle grain (a thread, a user, an API key ...) stays in memory, and
/// whether the silo sheds activations when the machine runs short of memory.
/// </summary>
public sealed class ActivationOptions
{
    public const string Section = "Activations";

    public const int MinIdleSeconds = 30;

    public const int MaxIdleSeconds = 24 * 60 * 60;

    /// <summary>
    /// A grain that received no call for this long is deactivated (its state is stored; the next call reactivates
    /// it from storage). Default 300 (5 minutes), 30 to 86,400: at least three of a streaming post's 10-second
    /// keep-alives, so a thread that streams is never idle.
    /// </summary>
    public int IdleSeconds { get; set; } = 300;

    /// <summary>
    /// When the silo's memory use passes this percentage, Orleans deactivates the least recently used grains until it is
    /// 10 points lower. 0 (the default) leaves shedding off; otherwise 50 to 99.
    /// </summary>
    public int ShedAtMemoryPercent { get; set; }

    public bool IsValid => IdleSeconds is >= MinIdleSeconds and <= MaxIdleSeconds && ShedAtMemoryPercent is 0 or (>= 50 and <= 99);
}

/// <summary>Applies <see cref="ActivationOptions"/> to Orleans' grain collection.</summary>
public static class IdleDeactivation
{
    public static IServiceCollection AddIdleDeactivation(this IServiceCollection services)
    {
        services.AddOptions<ActivationOptions>().BindConfiguration(ActivationOptions.Section)
            .Validate(o => o.IsValid,
                $"Activations:IdleSeconds must be {ActivationOptions.MinIdleSeconds} to {ActivationOptions.MaxIdleSeconds} " +
                "and Activations:ShedAtMemoryPercent 0 (off) or 50 to 99.")
            .ValidateOnStart();
        services.AddOptions<GrainCollectionOptions>()
            .Configure<IOptions<ActivationOptions>, IOptions<LoginThrottleOptions>>((collection, activations, throttle) =>
                Apply(collection, activations.Value, throttle.Value));
        return services;
    }

    private static void Apply(GrainCollectionOptions collection, ActivationOptions activations, LoginThrottleOptions throttle)
    {
        // Invalid options are left to the validation above, which stops the host with one line naming the setting.
        if (!activations.IsValid || !throttle.Account.IsValid || !throttle.Address.IsValid)
        {
            return;
        }

        var idle = TimeSpan.FromSeconds(activations.IdleSeconds);
        collection.CollectionAge = idle;

        // Orleans collects in rounds of CollectionQuantum and requires every age to be longer than one round.
        collection.CollectionQuantum = TimeSpan.FromTicks(Math.Min(GrainCollectionOptions.DEFAULT_COLLECTION_QUANTUM.Ticks, idle.Ticks / 2));

        // A sign-in throttle lives in memory only: it stays as long as it remembers failures, so a short idle time
        // never lets an attacker reset a lockout by waiting.
        var remember = TimeSpan.FromMinutes(Math.Max(throttle.Account.ForgetAfterMinutes, throttle.Address.ForgetAfterMinutes));
        collection.ClassSpecificCollectionAge[typeof(LoginThrottleGrain).FullName!] = remember > idle ? remember : idle;

        if (activations.ShedAtMemoryPercent > 0)
        {
            collection.EnableActivationSheddingOnMemoryPressure = true;
            collection.MemoryUsageLimitPercentage = activations.ShedAtMemoryPercent;
            collection.MemoryUsageTargetPercentage = activations.ShedAtMemoryPercent - 10;
        }
    }
}
