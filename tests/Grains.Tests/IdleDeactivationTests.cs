using AgentSilo.Grains.Users;
using AgentSilo.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AgentSilo.Grains.Tests;

/// <summary>How <c>Activations</c> settings become Orleans' grain collection, and the wrong ones that stop the silo.</summary>
public sealed class IdleDeactivationTests
{
    [Fact]
    public void By_default_grains_idle_for_five_minutes_are_collected_and_sign_in_throttles_keep_their_memory()
    {
        var collection = Resolve([]);

        Assert.Equal(TimeSpan.FromMinutes(5), collection.CollectionAge);
        Assert.Equal(TimeSpan.FromMinutes(1), collection.CollectionQuantum);
        Assert.Equal(TimeSpan.FromMinutes(15), collection.ClassSpecificCollectionAge[typeof(LoginThrottleGrain).FullName!]);
        Assert.False(collection.EnableActivationSheddingOnMemoryPressure);
    }

    [Fact]
    public void A_short_idle_time_collects_in_shorter_rounds_but_never_shortens_a_throttle_below_its_forget_time()
    {
        var collection = Resolve(new()
        {
            ["Activations:IdleSeconds"] = "30",
            ["Activations:ShedAtMemoryPercent"] = "85",
            ["RateLimiting:LoginBackoff:Address:ForgetAfterMinutes"] = "20",
        });

        Assert.Equal(TimeSpan.FromSeconds(30), collection.CollectionAge);
        Assert.Equal(TimeSpan.FromSeconds(15), collection.CollectionQuantum);
        Assert.Equal(TimeSpan.FromMinutes(20), collection.ClassSpecificCollectionAge[typeof(LoginThrottleGrain).FullName!]);
        Assert.True(collection.EnableActivationSheddingOnMemoryPressure);
        Assert.Equal(85, collection.MemoryUsageLimitPercentage);
        Assert.Equal(75, collection.MemoryUsageTargetPercentage);
    }

    [Fact]
    public void A_long_idle_time_applies_to_throttles_too()
    {
        var collection = Resolve(new() { ["Activations:IdleSeconds"] = "3600" });

        Assert.Equal(TimeSpan.FromHours(1), collection.ClassSpecificCollectionAge[typeof(LoginThrottleGrain).FullName!]);
    }

    [Theory]
    [InlineData("Activations:IdleSeconds", "29")]
    [InlineData("Activations:IdleSeconds", "86401")]
    [InlineData("Activations:ShedAtMemoryPercent", "49")]
    [InlineData("Activations:ShedAtMemoryPercent", "100")]
    public void A_setting_out_of_range_fails_naming_the_settings(string key, string value)
    {
        var failure = Assert.ThrowsAny<OptionsValidationException>(() => Resolve(new() { [key] = value }));

        Assert.Contains("Activations:IdleSeconds must be 30 to 86400 and Activations:ShedAtMemoryPercent 0 (off) or 50 to 99.", failure.Message);
    }

    private static GrainCollectionOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOptions<LoginThrottleOptions>().BindConfiguration(LoginThrottleOptions.Section);
        services.AddIdleDeactivation();
        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IOptions<ActivationOptions>>().Value;
        return provider.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
    }
}
