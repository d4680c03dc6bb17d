using AgentSilo.Testing;

namespace AgentSilo.EndToEnd.Infrastructure;

/// <summary>
/// One service stack for every test that runs with the ordinary configuration. Tests use fresh users, so they do
/// not see each other's data. The per-user quota is raised so the large-thread test is not throttled; quota
/// behaviour has its own stack (QuotaTests).
/// </summary>
public sealed class SharedStackFixture : IAsyncLifetime
{
    private ServiceStack? _stack;

    public ServiceStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    public Api Api => new(Stack);

    public async Task InitializeAsync() =>
        _stack = await ServiceStack.StartAsync(
            "shared",
            new Dictionary<string, string>
            {
                ["Quota__Capacity"] = "100000",
                ["Quota__ModelTokensPerDay"] = "1000000000",
            });

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedStackCollection : ICollectionFixture<SharedStackFixture>
{
    public const string Name = "Shared service stack";
}
