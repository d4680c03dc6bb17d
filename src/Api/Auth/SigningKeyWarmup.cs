namespace AgentSilo.Api.Auth;

/// <summary>Loads the signing key while the host starts, so a missing key stops the service before it listens.</summary>
public sealed class SigningKeyWarmup(SigningKeyStore keys) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = keys.Current;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
