using Microsoft.Extensions.AI;

namespace AgentSilo.Grains.Agents;

/// <summary>
/// The model tokens one turn used, summed over every model call of every agent. Thread-safe: some orchestrations
/// run agents at the same time.
/// </summary>
public sealed class TurnUsage
{
    private long _tokens;

    public long Tokens => Interlocked.Read(ref _tokens);

    public void Add(UsageDetails? usage)
    {
        if (usage is null)
        {
            return;
        }

        var tokens = usage.TotalTokenCount ?? (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0);
        if (tokens > 0)
        {
            Interlocked.Add(ref _tokens, tokens);
        }
    }
}
