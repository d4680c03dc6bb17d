using AgentSilo.Access;
using AgentSilo.Admin;
using AgentSilo.Api.Auth;
using AgentSilo.Api.Paging;
using AgentSilo.Api.Threads;
using AgentSilo.Threads;
using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Admin;

/// <summary>
/// Role admin and scope admin. The grains audit each access to another user's data with the caller's
/// X-Audit-Reason, and check the admin override again themselves.
/// </summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").WithTags("Admin").RequireAuthorization(AccessScopes.Admin);
        admin.MapGet("/threads", ListThreadsAsync);
        admin.MapGet("/threads/{id}", GetThreadAsync);
        admin.MapGet("/threads/{id}/messages", ListMessagesAsync);
        admin.MapDelete("/threads/{id}", DeleteThreadAsync);
        admin.MapGet("/audit", ListAuditAsync);
        admin.MapPost("/users/{userId}/disable", (string userId, HttpContext context, IClusterClient cluster) =>
            SetDisabledAsync(userId, disabled: true, context, cluster));
        admin.MapPost("/users/{userId}/enable", (string userId, HttpContext context, IClusterClient cluster) =>
            SetDisabledAsync(userId, disabled: false, context, cluster));
        return app;
    }

    private static async Task<Ok<Page<ThreadView>>> ListThreadsAsync(
        string? ownerId, int? limit, string? cursor, HttpContext context, IClusterClient cluster)
    {
        var page = await cluster.GetGrain<IThreadCatalogGrain>(0).ListAllAsync(
            context.GetCaller(), IdFilter(ownerId, nameof(ownerId)), PageQuery.Cursor(cursor), PageQuery.Limit(limit));
        return TypedResults.Ok(new Page<ThreadView>(page.Items, page.NextCursor));
    }

    private static async Task<Ok<ThreadView>> GetThreadAsync(string id, HttpContext context, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IThreadGrain>(ThreadInput.ThreadId(id)).GetAsync(context.GetCaller()));

    private static async Task<Ok<Page<MessageView>>> ListMessagesAsync(
        string id, int? limit, string? cursor, long? after, HttpContext context, IClusterClient cluster) =>
        TypedResults.Ok(await MessagePages.ReadAsync(
            cluster.GetGrain<IThreadGrain>(ThreadInput.ThreadId(id)), context.GetCaller(), limit, cursor, after));

    private static async Task<NoContent> DeleteThreadAsync(string id, HttpContext context, IClusterClient cluster)
    {
        await cluster.GetGrain<IThreadGrain>(ThreadInput.ThreadId(id)).DeleteAsync(context.GetCaller());
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Page<AuditRecord>>> ListAuditAsync(
        string? actorId, string? threadId, int? limit, string? cursor, HttpContext context, IClusterClient cluster)
    {
        var page = await cluster.GetGrain<IAuditGrain>(0).ListAsync(context.GetCaller(),
            IdFilter(actorId, nameof(actorId)), IdFilter(threadId, nameof(threadId)),
            PageQuery.Cursor(cursor), PageQuery.Limit(limit));
        return TypedResults.Ok(new Page<AuditRecord>(page.Items, page.NextCursor));
    }

    private static async Task<NoContent> SetDisabledAsync(string userId, bool disabled, HttpContext context, IClusterClient cluster)
    {
        // The user grain answers NotFound for an unknown id; an id no user can have is refused without a grain call.
        var user = RefreshToken.IsWellFormedPart(userId) ? cluster.GetGrain<IUserGrain>(userId) : throw new NotFoundException();
        await user.SetDisabledAsync(context.GetCaller(), disabled);
        return TypedResults.NoContent();
    }

    /// <summary>An optional id filter: absent, or an id of the service's own form (a malformed one is 400, not an empty page).</summary>
    private static string? IdFilter(string? value, string name) =>
        string.IsNullOrEmpty(value) ? null
        : RefreshToken.IsWellFormedPart(value) ? value
        : throw new ValidationFailedException($"{name} is not a valid id.");
}
