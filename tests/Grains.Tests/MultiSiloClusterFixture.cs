using System.Globalization;
using Orleans.TestingHost;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// Three in-process silos on a private Azurite whose threads queue a post that arrives during a running turn, with the
/// longest wait allowed, so that fifty posts at once all run. Shared by the race and the silo-failure tests; the
/// failure test kills a silo and starts another, so a test here must not count on a particular silo.
/// </summary>
public sealed class MultiSiloClusterFixture : IAsyncLifetime
{
    public const int Silos = 3;

    public const int QueueWaitSeconds = 60;

    private AzuriteTestCluster? _cluster;

    public InProcessTestCluster Cluster => Started.Cluster;

    public IClusterClient Client => Started.Client;

    private AzuriteTestCluster Started => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync() =>
        _cluster = await AzuriteTestCluster.StartAsync(Silos, new Dictionary<string, string?>
        {
            ["Agents:WhileTurnRuns"] = "queue",
            ["Agents:QueueWaitSeconds"] = QueueWaitSeconds.ToString(CultureInfo.InvariantCulture),
            // With the wait, within the post's 2-minute response timeout (the options allow 115 s in all).
            ["Agents:TurnTimeoutSeconds"] = "55",
            ["Quota:ModelTokensPerDay"] = "1000000000",
        });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MultiSiloClusterCollection : ICollectionFixture<MultiSiloClusterFixture>
{
    public const string Name = "multi-silo cluster";
}
