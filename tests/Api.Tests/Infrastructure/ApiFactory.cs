using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentSilo.Api.Tests.Infrastructure;

/// <summary>The API in Development (ephemeral signing key) joined to one test cluster.</summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    public const string Issuer = "http://api.test";
    public const string Audience = "agentsilo-api";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    public static Dictionary<string, string?> Settings(string storage, string clusterId, int loginPermitsPerMinute = 10_000) => new()
    {
        ["ConnectionStrings:Storage"] = storage,
        ["Orleans:ClusterId"] = clusterId,
        ["Orleans:ServiceId"] = "agentsilo-api-tests",
        ["Auth:Issuer"] = Issuer,
        ["Auth:Audience"] = Audience,
        ["RateLimiting:Login:PermitsPerMinute"] = loginPermitsPerMinute.ToString(),
    };
}
