namespace AgentSilo.Api.Quota;

public static class QuotaExtensions
{
    /// <summary>
    /// The bucket itself lives in the user grain (DESIGN.md, decision 5) and needs no API services; this applies
    /// the grain's answer. It must run after authorization, which is where the admission is obtained.
    /// </summary>
    public static IApplicationBuilder UseAgentSiloQuota(this IApplicationBuilder app) => app.UseMiddleware<QuotaMiddleware>();
}
