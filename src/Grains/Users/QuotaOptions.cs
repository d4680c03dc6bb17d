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

    /// <summary>
    /// Daily model tokens by role (<c>Quota:ModelTokensPerDayByRole:guest=20000</c>); a user gets the largest of
    /// their roles' figures, and <see cref="ModelTokensPerDay"/> when none of their roles is listed.
    /// </summary>
    public Dictionary<string, long> ModelTokensPerDayByRole { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public long ModelTokensPerDayFor(IEnumerable<string> roles)
    {
        var listed = roles.Where(ModelTokensPerDayByRole.ContainsKey).Select(role => ModelTokensPerDayByRole[role]).ToList();
        return listed.Count == 0 ? ModelTokensPerDay : listed.Max();
    }
}
