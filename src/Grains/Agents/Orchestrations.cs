namespace AgentSilo.Grains.Agents;

/// <summary>How a thread's team takes a turn (API.md, Agent profiles).</summary>
public static class Orchestrations
{
    /// <summary>Every agent replies once, in team order, each seeing the replies before it.</summary>
    public const string Sequential = "sequential";

    /// <summary>The agents speak round-robin for a bounded number of rounds.</summary>
    public const string GroupChat = "groupChat";

    /// <summary>The first agent triages and hands the conversation to one of the others.</summary>
    public const string Handoff = "handoff";

    public static readonly string[] All = [Sequential, GroupChat, Handoff];

    /// <summary>The canonical spelling, or null when <paramref name="value"/> is none of them; null input means sequential.</summary>
    public static string? Parse(string? value) =>
        value is null ? Sequential : All.FirstOrDefault(mode => string.Equals(mode, value, StringComparison.OrdinalIgnoreCase));
}
