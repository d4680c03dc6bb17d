using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace AgentSilo.Silo;

/// <summary>
/// How quickly the silos declare a silo that stopped answering dead (configuration section
/// <c>Orleans:FailureDetection</c>). Until then, calls to grains it hosted wait, at most their response timeout (2 minutes
/// for a post); once it is declared dead, they fail at once (503 with Retry-After) and its grains reactivate on the
/// survivors. Orleans' own defaults (5 s probes, of which it lets the adaptive timeout grow to 20 s on a slow machine)
/// can take about a minute; these take seconds, and still need several missed probes and two votes, so one slow
/// answer does not evict a healthy silo.
/// </summary>
public sealed class FailureDetectionOptions
{
    public const string Section = "Orleans:FailureDetection";

    /// <summary>The first timeout of a liveness probe, 1 to 30 seconds; Orleans adapts it between half and four times this.</summary>
    public int ProbeTimeoutSeconds { get; set; } = 2;

    /// <summary>Missed probes in a row after which a silo votes the probed silo dead, 2 to 10.</summary>
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>Votes that declare a silo dead, 1 to 5 (with fewer other silos alive, all of them).</summary>
    public int VotesForDeathDeclaration { get; set; } = 2;

    internal bool IsValid =>
        ProbeTimeoutSeconds is >= 1 and <= 30 && MissedProbesLimit is >= 2 and <= 10 && VotesForDeathDeclaration is >= 1 and <= 5;
}

public static class FailureDetection
{
    /// <summary>Applies <see cref="FailureDetectionOptions"/> to Orleans' membership protocol on this silo.</summary>
    public static ISiloBuilder UseAgentSiloFailureDetection(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<FailureDetectionOptions>().BindConfiguration(FailureDetectionOptions.Section)
            .Validate(o => o.IsValid,
                "Orleans:FailureDetection: ProbeTimeoutSeconds must be 1 to 30, MissedProbesLimit 2 to 10, VotesForDeathDeclaration 1 to 5.")
            .ValidateOnStart();
        silo.Services.AddOptions<ClusterMembershipOptions>().Configure<IOptions<FailureDetectionOptions>>((membership, detection) =>
        {
            var options = detection.Value;
            membership.ProbeTimeout = TimeSpan.FromSeconds(options.ProbeTimeoutSeconds);
            membership.NumMissedProbesLimit = options.MissedProbesLimit;
            membership.NumVotesForDeathDeclaration = options.VotesForDeathDeclaration;
        });
        return silo;
    }
}
