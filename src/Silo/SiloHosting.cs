using System.Net;
using AgentSilo.Grains;
using AgentSilo.Grains.Storage;
using AgentSilo.Grains.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

namespace AgentSilo.Silo;

/// <summary>Configures a host to run an AgentSilo silo.</summary>
public static class SiloHosting
{
    public const string DefaultStorageConnectionString = "UseDevelopmentStorage=true";

    /// <summary>
    /// Runs a silo in this host: Azure Table clustering and grain storage on <c>ConnectionStrings:Storage</c>, the
    /// cluster identity and ports of section <c>Orleans</c>, and every grain collaborator.
    /// </summary>
    public static IHostApplicationBuilder AddAgentSiloSilo(this IHostApplicationBuilder builder)
    {
        var storage = StorageConnectionString(builder.Configuration);
        var silo = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        silo.Validate();

        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Azure", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);

        builder.UseOrleans(orleans =>
        {
            orleans.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = silo.ClusterId;
                o.ServiceId = silo.ServiceId;
            });
            if (silo.AdvertisedAddress is null)
            {
                orleans.ConfigureEndpoints(IPAddress.Loopback, silo.SiloPort, silo.GatewayPort);
            }
            else
            {
                orleans.ConfigureEndpoints(IPAddress.Parse(silo.AdvertisedAddress), silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: true);
            }

            orleans.UseAzureStorageClustering(o => o.TableServiceClient = new(storage));
            orleans.UseAgentSiloFailureDetection();
            orleans.AddAgentSiloGrains(storage);
        });
        return builder;
    }

    /// <summary>
    /// Everything a silo needs to host AgentSilo's grains except clustering and endpoints: grain storage
    /// <c>users</c>, <c>threads</c> and <c>agents</c>, the collaborators, table creation and the bootstrap admin. Tests use it on
    /// TestingHost silos so they run the same wiring as production.
    /// </summary>
    public static ISiloBuilder AddAgentSiloGrains(this ISiloBuilder silo, string storageConnectionString)
    {
        // System.Text.Json, chosen before any data is stored; never UseStringFormat, which truncates large states.
        silo.UseSystemTextJsonGrainStorageSerializer();
        silo.AddAzureTableGrainStorage("users", o => o.TableServiceClient = new(storageConnectionString));
        silo.AddAzureTableGrainStorage("threads", o => o.TableServiceClient = new(storageConnectionString));
        silo.AddAzureTableGrainStorage("agents", o => o.TableServiceClient = new(storageConnectionString));

        silo.AddIncomingGrainCallFilter<StorageFailureFilter>();

        var services = silo.Services;
        services.AddAgentSiloGrainServices(storageConnectionString);
        services.AddIdleDeactivation();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section)
            .Validate(o => o.IsSet || (string.IsNullOrWhiteSpace(o.AdminUsername) && string.IsNullOrEmpty(o.AdminPassword)),
                "Set both Bootstrap:AdminUsername and Bootstrap:AdminPassword, or neither.")
            .Validate(o => !o.IsSet || IsValidAccount(o), "Bootstrap:AdminUsername or Bootstrap:AdminPassword breaks the account rules.")
            .ValidateOnStart();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TableProvisioner>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, BootstrapAdmin>();
        return silo;
    }

    public static string StorageConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Storage") is { Length: > 0 } value ? value : DefaultStorageConnectionString;

    private static bool IsValidAccount(BootstrapOptions options)
    {
        try
        {
            AccountRules.ValidateUsername(AccountRules.NormalizeUsername(options.AdminUsername));
            AccountRules.ValidatePassword(options.AdminPassword);
            return true;
        }
        catch (Access.ValidationFailedException)
        {
            return false;
        }
    }
}
