namespace AgentSilo.Grains.Threads;

/// <summary>
/// Lets one state-changing operation of a grain run at a time even when some of its methods interleave, so two
/// writes of the same state never race (an ETag conflict would deactivate the grain).
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        await _gate.WaitAsync();
        try
        {
            return await operation();
        }
        finally
        {
            _gate.Release();
        }
    }
}
