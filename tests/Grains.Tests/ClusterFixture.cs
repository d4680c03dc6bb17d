using AgentSilo.Silo;
using AgentSilo.Testing;
using Microsoft.Extensions.Configuration;
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

    private AzuriteServer? _azurite;
    private InProcessTestCluster? _cluster;

    public ShiftedTimeProvider Clock { get; } = new();

    public IClusterClient Client => Cluster.Client;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public string StorageConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        var connectionString = _azurite.ConnectionString;
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Quota:Capacity"] = QuotaCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Quota:RefillPerSecond"] = QuotaRefillPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Large threads are tested here; the budget itself has unit and end-to-end tests.
                ["Quota:ModelTokensPerDay"] = "1000000000",
                ["Bootstrap:AdminUsername"] = AdminUsername,
                ["Bootstrap:AdminPassword"] = AdminPassword,
            });
            host.Services.AddSingleton<TimeProvider>(Clock);
        });
        builder.ConfigureSilo((_, silo) => silo.AddAgentSiloGrains(connectionString));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
