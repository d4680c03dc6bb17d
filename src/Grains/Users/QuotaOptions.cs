namespace AgentSilo.Grains.Users;

/// <summary>The per-user request token bucket and daily model-token budget (configuration section <c>Quota</c>).</summary>
public sealed class QuotaOptions
{
    public const string Section = "Quota";

    /// <summary>The most requests a user may make in a burst. Default 60.</summary>
    public int Capacity { get; set; } = 60;

    /// <summary>Tokens added back per second. Default 1.</summary>
    public double RefillPerSecond { get; set; } = 1;

    /// <summary>Model tokens (input + output) each user may spend per UTC day. Default 200,000.</summary>
    public long ModelTokensPerDay { get; set; } = 200_000;
}
