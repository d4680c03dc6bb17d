using AgentSilo.Access;
using AgentSilo.Grains.Agents;

namespace AgentSilo.Grains.Threads;

/// <summary>
/// One thread's turns, one at a time. A post that arrives while a turn runs is refused with 409 (the default), or,
/// with <c>Agents:WhileTurnRuns=queue</c>, waits for that turn at most <c>Agents:QueueWaitSeconds</c> and then runs
/// (409 if the wait was longer). One per activation: the count lives in memory like the turn it counts.
/// </summary>
public sealed class TurnLine(AgentOptions options)
{
    private const string TurnRunning = "The thread's previous turn is still running; post again when it has finished.";

    private int _inFlight;

    /// <summary>Runs <paramref name="turn"/> inside <paramref name="writes"/> when this post may run now or after its wait.</summary>
    public async Task<T> RunAsync<T>(WriteGate writes, Func<Task<T>> turn)
    {
        // Checked and counted with no await between: the grain runs one piece at a time, so two posts cannot both pass.
        if (_inFlight > 0 && !options.QueuesPosts)
        {
            throw new ConflictException(TurnRunning);
        }

        _inFlight++;
        try
        {
            TimeSpan? wait = options.QueuesPosts ? TimeSpan.FromSeconds(options.QueueWaitSeconds) : null;
            return await writes.RunAsync(turn, wait, () => new ConflictException(TurnRunning));
        }
        finally
        {
            _inFlight--;
        }
    }
}
