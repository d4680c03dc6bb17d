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
        }

        return app;
    }
}
