using AgentSilo.Silo;
using AgentSilo.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AgentSilo.Api.Tests.Infrastructure;

/// <summary>A real silo in this process, on free ports, in its own cluster on the shared Azurite.</summary>
public static class SiloHostRunner
{
    public static async Task<IHost> StartAsync(string storage, string clusterId, IDictionary<string, string?> extra)
    {
        var ports = FreePorts.Take(2);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(extra)
        {
            ["ConnectionStrings:Storage"] = storage,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = "agentsilo-api-tests",
            ["Orleans:SiloPort"] = ports[0].ToString(),
            ["Orleans:GatewayPort"] = ports[1].ToString(),
        });
        builder.AddAgentSiloSilo();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
