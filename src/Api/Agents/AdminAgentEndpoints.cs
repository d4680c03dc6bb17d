using AgentSilo.Access;
using AgentSilo.Agents;
using AgentSilo.Api.Auth;
using AgentSilo.Api.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Agents;

/// <summary>Agent profiles, for role admin and scope admin; the profile grain checks the admin override again.</summary>
public static class AdminAgentEndpoints
{
    public static IEndpointRouteBuilder MapAdminAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var agents = app.MapGroup("/admin/agents").WithTags("Admin").RequireAuthorization(AccessScopes.Admin);
        agents.MapGet("/", ListAsync);
        agents.MapGet("/{name}", GetAsync);
        agents.MapPost("/", CreateAsync);
        agents.MapPut("/{name}", ReplaceAsync);
        agents.MapDelete("/{name}", DeleteAsync);
        return app;
    }

    private static IAgentProfileGrain Profiles(IClusterClient cluster) => cluster.GetGrain<IAgentProfileGrain>(0);

    private static async Task<Ok<Page<AgentDefinition>>> ListAsync(HttpContext context, IClusterClient cluster) =>
        TypedResults.Ok(new Page<AgentDefinition>(await Profiles(cluster).ListAsync(context.GetCaller()), null));

    /// <summary>One profile: where the <c>Location</c> of a created profile points.</summary>
    private static async Task<Ok<AgentDefinition>> GetAsync(string name, HttpContext context, IClusterClient cluster) =>
        TypedResults.Ok((await Profiles(cluster).ListAsync(context.GetCaller())).FirstOrDefault(p => p.Name == name)
            ?? throw new NotFoundException());

    private static async Task<Created<AgentDefinition>> CreateAsync(AgentProfileRequest body, HttpContext context, IClusterClient cluster)
    {
        var created = await Profiles(cluster).CreateAsync(context.GetCaller(), body.ToDefinition());
        return TypedResults.Created($"/admin/agents/{created.Name}", created);
    }

    private static async Task<Ok<AgentDefinition>> ReplaceAsync(string name, AgentProfileRequest body, HttpContext context, IClusterClient cluster) =>
        TypedResults.Ok(await Profiles(cluster).ReplaceAsync(context.GetCaller(), name, body.ToDefinition(name)));

    private static async Task<NoContent> DeleteAsync(string name, HttpContext context, IClusterClient cluster)
    {
        await Profiles(cluster).DeleteAsync(context.GetCaller(), name);
        return TypedResults.NoContent();
    }
}
