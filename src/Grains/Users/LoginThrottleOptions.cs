namespace AgentSilo.Grains.Users;

/// <summary>The <c>RateLimiting:LoginBackoff</c> section: how sign-in failures slow down further attempts.</summary>
public sealed class LoginThrottleOptions
{
    public const string Section = "RateLimiting:LoginBackoff";

    /// <summary>Per account (normalized username, whether or not it exists). Default: 5 free failures.</summary>
    public BackoffRule Account { get; set; } = new() { FreeFailures = 5 };

    /// <summary>Per client address (IPv6 by /64). Default: 20 free failures, as many people may share one address.</summary>
    public BackoffRule Address { get; set; } = new() { FreeFailures = 20 };
}

/// <summary>One key's rule: after <see cref="FreeFailures"/>, each failure locks for 1, 2, 4 ... seconds up to the maximum.</summary>
public sealed class BackoffRule
{
    public int FreeFailures { get; set; } = 5;

    /// <summary>The first lockout; each further failure doubles it. Default 1 second.</summary>
    public double BaseDelaySeconds { get; set; } = 1;

    /// <summary>The longest lockout, kept short so that nobody can lock a victim out for long. Default 30 seconds.</summary>
    public double MaxDelaySeconds { get; set; } = 30;

    /// <summary>Failures are forgotten after this long without one. Default 15 minutes.</summary>
    public double ForgetAfterMinutes { get; set; } = 15;

    public bool IsValid => FreeFailures is >= 0 and <= 1_000_000
        && BaseDelaySeconds is > 0 and <= 3600 && MaxDelaySeconds >= BaseDelaySeconds && MaxDelaySeconds <= 3600
        && ForgetAfterMinutes is > 0 and <= 24 * 60;
}
