using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Hosting;

/// <summary>HTTPS only outside Development (configurable): the platform's redirection and HSTS middleware.</summary>
public static class HttpsExtensions
{
    public static IServiceCollection AddAgentSiloHttps(this IServiceCollection services)
    {
        services.AddOptions<HttpsOptions>().BindConfiguration(HttpsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpsOptions>>((hsts, https) =>
        {
            hsts.MaxAge = TimeSpan.FromDays(https.Value.HstsMaxAgeDays);
            hsts.IncludeSubDomains = https.Value.HstsIncludeSubDomains;
            hsts.Preload = https.Value.HstsPreload;
        });
        services.AddOptions<HttpsRedirectionOptions>().Configure<IOptions<HttpsOptions>>((redirect, https) =>
        {
            if (https.Value.Port is { } port)
            {
                redirect.HttpsPort = port;
            }
        });
        return services;
    }

    public static WebApplication UseAgentSiloHttps(this WebApplication app)
    {
        var https = app.Services.GetRequiredService<IOptions<HttpsOptions>>().Value;
        if (https.Enforce ?? !app.Environment.IsDevelopment())
        {
            // HSTS is sent on HTTPS answers only, and never for localhost (the middleware's default exclusions).
            app.UseHsts();
            app.UseHttpsRedirection();
            app.Lifetime.ApplicationStarted.Register(() => RefusePlainHttpOnly(app, https));
        }

        return app;
    }

    /// <summary>
    /// The redirection middleware quietly lets requests through when it knows no HTTPS port, so passwords would travel
    /// over plain HTTP. An API that must redirect but has nowhere to redirect to stops instead, saying what to set.
    /// </summary>
    private static void RefusePlainHttpOnly(WebApplication app, HttpsOptions https)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var httpsPort = https.Port?.ToString() ?? app.Configuration["HTTPS_PORTS"] ?? app.Configuration["HTTPS_PORT"];
        if (addresses.Any(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) || !string.IsNullOrEmpty(httpsPort))
        {
            return;
        }

        app.Logger.LogCritical(
            "HTTPS is enforced (Https:Enforce, on outside Development) but the API has no HTTPS address: listen on an https:// URL " +
            "with a certificate (Kestrel:Certificates:Default:Path), set Https:Port, or set Https:Enforce=false when TLS ends in front of the API. Stopping.");
        Environment.ExitCode = 1;
        app.Lifetime.StopApplication();
    }
}
