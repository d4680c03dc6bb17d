using AgentSilo.Silo;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// One in-process Orleans cluster on a private Azurite, wired exactly as production through
/// <see cref="SiloHosting.AddAgentSiloGrains"/>, with a small quota and a clock the tests can move forward.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int QuotaCapacity = 5;

    /// <summary>One token per 100 s: real time spent by a test refills nothing noticeable, <see cref="Clock"/> does.</summary>
    public const double QuotaRefillPerSecond = 0.01;

    public const string AdminUsername = "bootstrap-admin";
    public const string AdminPassword = "bootstrap-admin-password";

    private AzuriteTestCluster? _cluster;

    public ShiftedTimeProvider Clock { get; } = new();

    public IClusterClient Client => Cluster.Client;

    public InProcessTestCluster Cluster => Started.Cluster;

    public string StorageConnectionString => Started.StorageConnectionString;

    private AzuriteTestCluster Started => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() =>
        _cluster = await AzuriteTestCluster.StartAsync(
            1,
            new Dictionary<string, string?>
            {
                ["Quota:Capacity"] = QuotaCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Quota:RefillPerSecond"] = QuotaRefillPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Large threads are tested here; the budget itself has unit and end-to-end tests.
                ["Quota:ModelTokensPerDay"] = "1000000000",
                ["Bootstrap:AdminUsername"] = AdminUsername,
                ["Bootstrap:AdminPassword"] = AdminPassword,
            },
            services => services.AddSingleton<TimeProvider>(Clock));

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
