using AgentSilo.Testing;
using Microsoft.Extensions.Hosting;

namespace AgentSilo.Api.Tests.Infrastructure;

/// <summary>
/// Azurite, two real silos and the APIs in front of them. The main cluster has a quota no test exhausts; the small
/// one has a bucket of <see cref="SmallQuotaCapacity"/> that refills too slowly to matter during a run.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const int SmallQuotaCapacity = 4;

    private readonly List<IHost> _silos = [];
    private AzuriteServer? _azurite;

    public string AdminUsername { get; } = "admin-" + Guid.NewGuid().ToString("N")[..8];

    public string AdminPassword { get; } = "Adm1n-" + Guid.NewGuid().ToString("N");

    public ApiFactory Api { get; private set; } = null!;

    public ApiFactory SmallQuotaApi { get; private set; } = null!;

    public string Storage => _azurite!.ConnectionString;

    public string MainClusterId { get; } = "api-tests-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        var smallClusterId = "api-tests-small-" + Guid.NewGuid().ToString("N")[..8];
        _silos.Add(await SiloHostRunner.StartAsync(Storage, MainClusterId, new Dictionary<string, string?>
        {
            ["Quota:Capacity"] = "100000",
            ["Quota:RefillPerSecond"] = "1000",
            ["Bootstrap:AdminUsername"] = AdminUsername,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            // The test server has no client address: every test signs in as the same "unknown" one.
            ["RateLimiting:LoginBackoff:Address:FreeFailures"] = "1000000",
            ["Safety:InputAction"] = "block",
        }));
        _silos.Add(await SiloHostRunner.StartAsync(Storage, smallClusterId, new Dictionary<string, string?>
        {
            ["Quota:Capacity"] = SmallQuotaCapacity.ToString(),
            ["Quota:RefillPerSecond"] = "0.001",
        }));

        Api = new ApiFactory(ApiFactory.Settings(Storage, MainClusterId));
        SmallQuotaApi = new ApiFactory(ApiFactory.Settings(Storage, smallClusterId));
        _ = Api.Server;
        _ = SmallQuotaApi.Server;
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await SmallQuotaApi.DisposeAsync();
        foreach (var silo in _silos)
        {
            await silo.StopAsync();
            silo.Dispose();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
