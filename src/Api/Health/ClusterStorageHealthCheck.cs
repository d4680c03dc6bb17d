using AgentSilo.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentSilo.Api.Health;

/// <summary>Ready when a silo answers and can reach grain storage; bounded, so a hung cluster reads as unhealthy.</summary>
public sealed class ClusterStorageHealthCheck(IClusterClient cluster) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await cluster.GetGrain<IHealthGrain>(0).CheckStorageAsync().WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The description stays generic: the body is public and unauthenticated.
            return HealthCheckResult.Unhealthy("The cluster or its storage is not reachable.", e);
        }
    }
}
