namespace AgentSilo.Api.Errors;

public static class ErrorsExtensions
{
    public static IHostApplicationBuilder AddAgentSiloErrors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = context => ProblemDefaults.Complete(context.ProblemDetails, context.HttpContext));
        builder.Services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>();
        builder.Services.AddExceptionHandler<ExceptionToProblemHandler>();
        return builder;
    }

    public static WebApplication UseAgentSiloErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Answers without a body (unknown route, wrong method) still get problem details.
        app.UseStatusCodePages();
        return app;
    }
}
