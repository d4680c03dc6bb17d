using AgentSilo.Testing;
using Microsoft.Extensions.Hosting;

namespace AgentSilo.Api.Tests.Infrastructure;

/// <summary>
/// A silo whose agents talk to a <see cref="ScriptedOpenAiServer"/> through the real OpenAI connector, and the API in
/// front of it, on a private Azurite. Turns time out after <see cref="TurnTimeoutSeconds"/> so that a hanging
/// model is cut off quickly.
/// </summary>
public sealed class ModelApiFixture : IAsyncLifetime
{
    public const int TurnTimeoutSeconds = 10;

    /// <summary>Daily model tokens of role user: a few turns of the scripted model; role admin gets far more.</summary>
    public const long UserTokensPerDay = 400;
    public const long AdminTokensPerDay = 5_000_000;
    public const string ModelName = "scripted";
    public const string RemoteModel = "scripted-model";

    /// <summary>Looks like an OpenAI key on purpose: tests check that it never shows up in an answer.</summary>
    public const string ApiKey = "sk-scripted-test-key-0123456789abcdef";

    private AzuriteServer? _azurite;
    private IHost? _silo;

    public ScriptedOpenAiServer Model { get; private set; } = null!;

    public ApiFactory Api { get; private set; } = null!;

    public string AdminUsername { get; } = "admin-" + Guid.NewGuid().ToString("N")[..8];

    public string AdminPassword { get; } = "Adm1n-" + Guid.NewGuid().ToString("N");

    /// <summary>A client signed in as the bootstrap admin (role and scope admin).</summary>
    public async Task<HttpClient> AdminClientAsync()
    {
        var tokens = await ApiCalls.LoginAsync(Api.CreateClient(), AdminUsername, AdminPassword);
        return ApiCalls.WithBearer(Api, tokens.AccessToken);
    }

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartAsync();
        Model = await ScriptedOpenAiServer.StartAsync();
        var clusterId = "model-tests-" + Guid.NewGuid().ToString("N")[..8];
        _silo = await SiloHostRunner.StartAsync(_azurite.ConnectionString, clusterId, new Dictionary<string, string?>
        {
            ["Quota:Capacity"] = "100000",
            ["Quota:RefillPerSecond"] = "1000",
            ["Quota:ModelTokensPerDayByRole:user"] = UserTokensPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Quota:ModelTokensPerDayByRole:admin"] = AdminTokensPerDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Bootstrap:AdminUsername"] = AdminUsername,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            [$"Models:{ModelName}:Provider"] = "openai",
            [$"Models:{ModelName}:Endpoint"] = Model.Endpoint,
            [$"Models:{ModelName}:Model"] = RemoteModel,
            [$"Models:{ModelName}:ApiKey"] = ApiKey,
            [$"Models:{ModelName}:MaxRetries"] = "0",
            ["Agents:DefaultModel"] = ModelName,
            ["Agents:TurnTimeoutSeconds"] = TurnTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Api = new ApiFactory(ApiFactory.Settings(_azurite.ConnectionString, clusterId));
        _ = Api.Server;
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }

        await Model.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ModelApiCollection : ICollectionFixture<ModelApiFixture>
{
    public const string Name = "models";
}
