namespace AgentSilo.Health;

/// <summary>Answers readiness probes from inside the cluster. A stateless worker: use key 0.</summary>
public interface IHealthGrain : IGrainWithIntegerKey
{
    /// <summary>Throws when grain storage cannot be reached.</summary>
    Task CheckStorageAsync();
}
