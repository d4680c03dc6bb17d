namespace AgentSilo.Grains.Agents.Safety;

/// <summary>Injection and leak defences (configuration section <c>Safety</c>).</summary>
public sealed class SafetyOptions
{
    public const string Section = "Safety";
    public const string Flag = "flag";
    public const string Block = "block";

    /// <summary>
    /// What happens to a user message the input screen finds suspicious: <c>flag</c> (stored marked <c>flagged</c>,
    /// and the agents are told to treat it as data) or <c>block</c> (refused with 400, nothing stored).
    /// </summary>
    public string InputAction { get; set; } = Flag;

    /// <summary>More patterns (.NET regular expressions, case-insensitive) that make a message suspicious.</summary>
    public string[] InputPatterns { get; set; } = [];

    public static bool IsValidPattern(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern);
            return !string.IsNullOrEmpty(pattern);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
