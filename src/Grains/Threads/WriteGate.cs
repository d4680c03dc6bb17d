namespace AgentSilo.Grains.Threads;

/// <summary>
/// Lets one state-changing operation of a grain run at a time even when some of its methods interleave, so two
/// writes of the same state never race (an ETag conflict would deactivate the grain).
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// Runs <paramref name="operation"/> once the gate is free. With <paramref name="maxWait"/>, a wait longer than that
    /// throws what <paramref name="tooLong"/> makes instead.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> operation, TimeSpan? maxWait = null, Func<Exception>? tooLong = null)
    {
        if (!await _gate.WaitAsync(maxWait ?? Timeout.InfiniteTimeSpan))
        {
            throw tooLong?.Invoke() ?? new TimeoutException("The gate was not free in time.");
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
