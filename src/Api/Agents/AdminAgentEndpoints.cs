using System.Buffers.Text;
using System.Text;
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

    /// <summary>
    /// Pages the profiles in their stable order (built-ins first, then by name) with the list conventions of API.md;
    /// the opaque cursor is the last name returned.
    /// </summary>
    private static async Task<Ok<Page<AgentDefinition>>> ListAsync(int? limit, string? cursor, HttpContext context, IClusterClient cluster)
    {
        var pageSize = PageQuery.Limit(limit);
        var afterName = DecodeCursor(PageQuery.Cursor(cursor));
        var all = await Profiles(cluster).ListAsync(context.GetCaller());
        var start = afterName is null ? 0 : Array.FindIndex(all, p => p.Name == afterName) + 1;
        if (afterName is not null && start == 0)
        {
            throw new ValidationFailedException("cursor is not valid.");
        }

        var items = all.Skip(start).Take(pageSize).ToArray();
        var next = start + items.Length < all.Length ? Base64Url.EncodeToString(Encoding.UTF8.GetBytes(items[^1].Name)) : null;
        return TypedResults.Ok(new Page<AgentDefinition>(items, next));
    }

    private static string? DecodeCursor(string? cursor) =>
        cursor is null ? null
        : Base64Url.IsValid(cursor) ? Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor))
        : throw new ValidationFailedException("cursor is not valid.");

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
