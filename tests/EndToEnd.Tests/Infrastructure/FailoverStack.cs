using AgentSilo.Testing;

namespace AgentSilo.EndToEnd.Infrastructure;

/// <summary>
/// Two silos and two API instances as real processes on one Azurite, with posts queueing (the longest wait allowed),
/// for the race and the silo-failure tests. The failure test kills the second silo and starts it again on its ports,
/// so tests here must not count on which silo hosts what.
/// </summary>
public sealed class FailoverStackFixture : IAsyncLifetime
{
    private ServiceStack? _stack;

    public ServiceStack Stack => _stack ?? throw new InvalidOperationException("The stack has not started.");

    /// <summary>The silo the failure test kills; replaced by its new incarnation once restarted.</summary>
    public SiloInstance SecondSilo { get; set; } = null!;

    public Uri SecondApi { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _stack = await ServiceStack.StartAsync("failover", new Dictionary<string, string>
        {
            ["Agents__WhileTurnRuns"] = "queue",
            ["Agents__QueueWaitSeconds"] = "60",
            ["Agents__TurnTimeoutSeconds"] = "55",
            ["Quota__Capacity"] = "100000",
            ["Quota__RefillPerSecond"] = "1000",
            ["Quota__ModelTokensPerDay"] = "1000000000",
        });
        SecondSilo = await Stack.StartAnotherSiloAsync();
        SecondApi = await Stack.StartAnotherApiAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (await Membership.CountActiveAsync(Stack) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the second silo did not join{Environment.NewLine}{Stack.RecentLogs()}");
            await Task.Delay(500);
        }
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }
}
