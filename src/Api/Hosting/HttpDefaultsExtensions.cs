using Microsoft.AspNetCore.Http.Json;

namespace AgentSilo.Api.Hosting;

public static class HttpDefaultsExtensions
{
    /// <summary>The largest request body the API reads (API.md: bodies over 1 MiB get 413).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddAgentSiloHttpDefaults(this WebApplicationBuilder builder)
    {
        // Kestrel's default is 30 MB; a chat API has no use for bodies that large.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        builder.Services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.Converters.Add(new UtcDateTimeOffsetConverter());
            // A repeated key or a null where the contract has a string is ambiguous input: refuse it rather than guess.
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.RespectNullableAnnotations = true;
        });

        // Binding failures (malformed JSON, unknown properties, bad query values) throw so the exception handler
        // answers them as problem details instead of an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddAgentSiloHttps();
        return builder;
    }

    public static WebApplication UseAgentSiloHttpDefaults(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            // OnStarting survives the exception handler clearing the response, so error answers carry it too.
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        app.UseAgentSiloHttps();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        return app;
    }
}
