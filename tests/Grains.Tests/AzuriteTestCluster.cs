using AgentSilo.Silo;
using AgentSilo.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// An in-process Orleans cluster on a private Azurite, wired exactly as production through
/// <see cref="SiloHosting.AddAgentSiloGrains"/>, with extra configuration and services for one fixture's needs.
/// </summary>
public sealed class AzuriteTestCluster : IAsyncDisposable
{
    private readonly AzuriteServer _azurite;

    private AzuriteTestCluster(AzuriteServer azurite, InProcessTestCluster cluster)
    {
        _azurite = azurite;
        Cluster = cluster;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public string StorageConnectionString => _azurite.ConnectionString;

    /// <param name="silos">How many silos to start.</param>
    /// <param name="settings">Configuration keys in <c>Section:Key</c> form.</param>
    /// <param name="services">Services registered before the grains' own, which keep them (a clock, chat clients).</param>
    /// <param name="inMemoryAzurite">Azurite keeps its data in memory only: for hundreds of thousands of rows (see <see cref="AzuriteServer.StartInMemoryAsync"/>).</param>
    public static async Task<AzuriteTestCluster> StartAsync(
        int silos, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null, bool inMemoryAzurite = false)
    {
        var azurite = inMemoryAzurite ? await AzuriteServer.StartInMemoryAsync() : await AzuriteServer.StartAsync();
        try
        {
            var storage = azurite.ConnectionString;
            var builder = new InProcessTestClusterBuilder(checked((short)silos));
            builder.ConfigureSiloHost((_, host) =>
            {
                host.Configuration.AddInMemoryCollection(settings);
                services?.Invoke(host.Services);
            });
            builder.ConfigureSilo((_, silo) => silo.AddAgentSiloGrains(storage).UseAgentSiloFailureDetection());
            var cluster = builder.Build();
            await cluster.DeployAsync();
            return new AzuriteTestCluster(azurite, cluster);
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _azurite.DisposeAsync();
    }
}
