namespace AgentSilo.Grains.Agents;

/// <summary>Agent settings (configuration section <c>Agents</c>).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agents";

    /// <summary>
    /// The team a thread gets when it names none: built-in agent names separated by commas, in reply order.
    /// Empty means the built-in default team (planner, writer).
    /// </summary>
    public string? DefaultTeam { get; set; }
}
