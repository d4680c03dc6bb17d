using Azure.Data.Tables;
using Orleans.Configuration;

namespace AgentSilo.Api.Hosting;

public static class OrleansClientExtensions
{
    public const string DefaultStorage = "UseDevelopmentStorage=true";

    /// <summary>Joins the cluster as a client through the membership table the silos write to Azure Storage.</summary>
    public static IHostApplicationBuilder AddAgentSiloOrleansClient(this IHostApplicationBuilder builder)
    {
        // Read through IConfiguration at resolve time, so hosts that add configuration late (tests) are honoured.
        builder.UseOrleansClient(client =>
        {
            client.UseAzureStorageClustering(options => options.Configure<IConfiguration>((gateway, configuration) =>
                gateway.TableServiceClient = new TableServiceClient(configuration.GetConnectionString("Storage") ?? DefaultStorage)));
            client.Services.AddOptions<ClusterOptions>().Configure<IConfiguration>((cluster, configuration) =>
            {
                cluster.ClusterId = configuration["Orleans:ClusterId"] ?? "agentsilo-dev";
                cluster.ServiceId = configuration["Orleans:ServiceId"] ?? "agentsilo";
            });
        });
        return builder;
    }
}
