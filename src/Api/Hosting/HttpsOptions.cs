using System.ComponentModel.DataAnnotations;

namespace AgentSilo.Api.Hosting;

/// <summary>The <c>Https</c> section: redirecting plain HTTP and HTTP Strict Transport Security (RFC 6797).</summary>
public sealed class HttpsOptions
{
    public const string Section = "Https";

    /// <summary>Redirect HTTP to HTTPS and send <c>Strict-Transport-Security</c>. Default: on outside Development.</summary>
    public bool? Enforce { get; set; }

    /// <summary>The HTTPS port redirects point to. Default: <c>ASPNETCORE_HTTPS_PORT</c> or the server's HTTPS address.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>HSTS <c>max-age</c> in days. Default 365.</summary>
    [Range(1, 3650)]
    public int HstsMaxAgeDays { get; set; } = 365;

    /// <summary>HSTS <c>includeSubDomains</c>. Default true.</summary>
    public bool HstsIncludeSubDomains { get; set; } = true;

    /// <summary>HSTS <c>preload</c>; only for a domain that is submitted to the browsers' preload lists. Default false.</summary>
    public bool HstsPreload { get; set; }
}
