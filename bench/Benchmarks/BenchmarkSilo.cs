using AgentSilo.Silo;
using AgentSilo.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentSilo.Benchmarks;

/// <summary>
/// A real silo in this process on a private Azurite that keeps its data in memory (on disk, Azurite would rewrite its
/// whole database every few seconds once it holds 100,000 messages, and measure that instead).
/// </summary>
internal sealed class BenchmarkSilo : IAsyncDisposable
{
    private readonly AzuriteServer _azurite;
    private readonly IHost _host;

    private BenchmarkSilo(AzuriteServer azurite, IHost host)
    {
        _azurite = azurite;
        _host = host;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchmarkSilo> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var azurite = await AzuriteServer.StartInMemoryAsync();
        var ports = FreePorts.Take(2);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Storage"] = azurite.ConnectionString,
            ["Orleans:ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:SiloPort"] = ports[0].ToString(),
            ["Orleans:GatewayPort"] = ports[1].ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
            // The benchmark posts far more than a user's daily model budget; the budget check itself stays in the path.
            ["Quota:ModelTokensPerDay"] = "1000000000000",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddAgentSiloSilo();
        var host = builder.Build();
        await host.StartAsync();
        return new BenchmarkSilo(azurite, host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _azurite.DisposeAsync();
    }
}
