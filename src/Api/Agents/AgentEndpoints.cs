using AgentSilo.Access;
using AgentSilo.Agents;
using AgentSilo.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Agents;

public sealed record AgentList(AgentSummary[] Items);

public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var agents = app.MapGroup("/agents").WithTags("Agents").RequireAuthorization(AccessScopes.Read);
        agents.MapGet("/", ListAsync);
        return app;
    }

    private static async Task<Ok<AgentList>> ListAsync(HttpContext context, IClusterClient cluster) =>
        TypedResults.Ok(new AgentList(await cluster.GetGrain<IAgentCatalogGrain>(0).ListForAsync(context.GetCaller())));
}
