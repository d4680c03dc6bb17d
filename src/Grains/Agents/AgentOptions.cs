using AgentSilo.Grains.Agents.Models;

namespace AgentSilo.Grains.Agents;

/// <summary>Agent settings (configuration section <c>Agents</c>).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agents";
    public const int MaxTurnTimeoutSeconds = 110;

    /// <summary>
    /// The team a thread gets when it names none: built-in agent names separated by commas, in reply order.
    /// Empty means the built-in default team (planner, writer).
    /// </summary>
    public string? DefaultTeam { get; set; }

    /// <summary>The model (a name under <c>Models</c>) of the built-in agents; <c>offline</c> unless set.</summary>
    public string DefaultModel { get; set; } = ModelsOptions.Offline;

    /// <summary>
    /// How long one turn of the team may take before it is cut off and answered 504, 1 to 110 seconds (the grain
    /// call itself times out at 120).
    /// </summary>
    public int TurnTimeoutSeconds { get; set; } = 100;

    /// <summary>How many times each agent speaks in a group chat turn, 1 to 5.</summary>
    public int GroupChatRounds { get; set; } = 2;

    public const string Reject = "reject";
    public const string Queue = "queue";

    /// <summary>
    /// What a post gets while the thread's previous turn still runs: <c>reject</c> (409, the default) or <c>queue</c>
    /// (it waits for that turn, at most <see cref="QueueWaitSeconds"/>, then runs; 409 if the wait was too long).
    /// </summary>
    public string WhileTurnRuns { get; set; } = Reject;

    /// <summary>How long a queued post waits for the running turn, 1 to 60 seconds; with the turn timeout it must fit the grain call's 120.</summary>
    public int QueueWaitSeconds { get; set; } = 10;

    public bool QueuesPosts => string.Equals(WhileTurnRuns, Queue, StringComparison.OrdinalIgnoreCase);
}
