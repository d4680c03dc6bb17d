namespace AgentSilo.Grains.Threads;

/// <summary>
/// Lets one state-changing operation of a grain run at a time even when some of its methods interleave, so two
/// writes of the same state never race (an ETag conflict would deactivate the grain).
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task<T> RunAsync<T>(Func<Task<T>> operation) =>
        RunAsync(operation, Timeout.InfiniteTimeSpan, () => new InvalidOperationException("unreachable"));

    /// <summary>Runs <paramref name="operation"/> once the gate is free; throws <paramref name="tooLong"/>'s exception after <paramref name="maxWait"/>.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> operation, TimeSpan maxWait, Func<Exception> tooLong)
    {
        if (!await _gate.WaitAsync(maxWait))
        {
            throw tooLong();
        }

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
