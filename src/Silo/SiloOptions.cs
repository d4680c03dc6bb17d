using System.Net;

namespace AgentSilo.Silo;

/// <summary>Cluster identity and endpoints of this silo (configuration section <c>Orleans</c>).</summary>
public sealed class SiloOptions
{
    public const string Section = "Orleans";

    /// <summary>The deployment's cluster id; silos and clients must agree. Default <c>agentsilo-dev</c>.</summary>
    public string ClusterId { get; set; } = "agentsilo-dev";

    /// <summary>The service id, stable across deployments: grain state is keyed by it. Default <c>agentsilo</c>.</summary>
    public string ServiceId { get; set; } = "agentsilo";

    /// <summary>Port for silo-to-silo traffic. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (the API) connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at; unset means loopback (one machine).</summary>
    public string? AdvertisedAddress { get; set; }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            throw new InvalidOperationException("Orleans:ClusterId and Orleans:ServiceId must not be empty.");
        }

        if (SiloPort is < 1 or > 65535 || GatewayPort is < 1 or > 65535 || SiloPort == GatewayPort)
        {
            throw new InvalidOperationException("Orleans:SiloPort and Orleans:GatewayPort must be two different ports (1..65535).");
        }

        if (AdvertisedAddress is not null && !IPAddress.TryParse(AdvertisedAddress, out _))
        {
            throw new InvalidOperationException("Orleans:AdvertisedAddress must be an IP address.");
        }
    }
}
