using AgentSilo.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AgentSilo.Grains.Tests;

/// <summary>Orleans:FailureDetection reaches Orleans' membership protocol, and a value out of range stops the silo.</summary>
public sealed class FailureDetectionTests
{
    [Fact]
    public void The_defaults_detect_a_dead_silo_in_seconds_and_settings_override_them()
    {
        var defaults = Membership([]);
        Assert.Equal(TimeSpan.FromSeconds(2), defaults.ProbeTimeout);
        Assert.Equal(3, defaults.NumMissedProbesLimit);
        Assert.Equal(2, defaults.NumVotesForDeathDeclaration);

        var set = Membership(new()
        {
            ["Orleans:FailureDetection:ProbeTimeoutSeconds"] = "5",
            ["Orleans:FailureDetection:MissedProbesLimit"] = "4",
            ["Orleans:FailureDetection:VotesForDeathDeclaration"] = "3",
        });
        Assert.Equal(TimeSpan.FromSeconds(5), set.ProbeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), set.MaxProbeTimeout);
        Assert.Equal(4, set.NumMissedProbesLimit);
        Assert.Equal(3, set.NumVotesForDeathDeclaration);
    }

    [Theory]
    [InlineData("ProbeTimeoutSeconds", "0")]
    [InlineData("ProbeTimeoutSeconds", "31")]
    [InlineData("MissedProbesLimit", "1")]
    [InlineData("VotesForDeathDeclaration", "0")]
    [InlineData("VotesForDeathDeclaration", "6")]
    public void A_value_out_of_range_fails_naming_the_section(string key, string value)
    {
        var failure = Assert.ThrowsAny<OptionsValidationException>(() => Membership(new() { [$"Orleans:FailureDetection:{key}"] = value }));

        Assert.Contains("Orleans:FailureDetection", failure.Message);
    }

    private static ClusterMembershipOptions Membership(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        new Silo(services, configuration).UseAgentSiloFailureDetection();
        return services.BuildServiceProvider().GetRequiredService<IOptions<ClusterMembershipOptions>>().Value;
    }

    private sealed class Silo(IServiceCollection services, IConfiguration configuration) : ISiloBuilder
    {
        public IServiceCollection Services => services;

        public IConfiguration Configuration => configuration;
    }
}
