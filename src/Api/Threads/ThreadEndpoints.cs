using AgentSilo.Access;
using AgentSilo.Api.Auth;
using AgentSilo.Api.Paging;
using AgentSilo.Threads;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Threads;

/// <summary>The caller's own threads. Ownership is decided by the thread grain from the caller, never from the body.</summary>
public static class ThreadEndpoints
{
    public static IEndpointRouteBuilder MapThreadEndpoints(this IEndpointRouteBuilder app)
    {
        var readers = app.MapGroup("/threads").WithTags("Threads").RequireAuthorization(AccessScopes.Read);
        readers.MapGet("/", ListAsync);
        readers.MapGet("/{id}", GetAsync);
        readers.MapGet("/{id}/messages", ListMessagesAsync);

        var writers = app.MapGroup("/threads").WithTags("Threads").RequireAuthorization(AccessScopes.Write);
        writers.MapPost("/", CreateAsync);
        writers.MapPatch("/{id}", UpdateAsync);
        writers.MapDelete("/{id}", DeleteAsync);
        writers.MapPost("/{id}/messages", PostMessageAsync);
        return app;
    }

    private static async Task<Created<ThreadView>> CreateAsync(CreateThreadRequest? body, HttpContext context, IClusterClient cluster)
    {
        // 128 random-looking bits of which 122 are random: unguessable, as API.md requires of thread ids.
        var id = Guid.NewGuid().ToString("N");
        var request = new NewThread(body?.Title, body?.Agents, body?.Metadata, body?.Orchestration);
        var thread = await cluster.GetGrain<IThreadGrain>(id).CreateAsync(context.GetCaller(), request);
        return TypedResults.Created($"/threads/{id}", thread);
    }

    private static async Task<Ok<Page<ThreadView>>> ListAsync(int? limit, string? cursor, HttpContext context, IClusterClient cluster)
    {
        var page = await cluster.GetGrain<IThreadCatalogGrain>(0)
            .ListOwnAsync(context.GetCaller(), PageQuery.Cursor(cursor), PageQuery.Limit(limit));
        return TypedResults.Ok(new Page<ThreadView>(page.Items, page.NextCursor));
    }

    private static async Task<Ok<ThreadView>> GetAsync(string id, HttpContext context, IClusterClient cluster) =>
        TypedResults.Ok(await cluster.GetGrain<IThreadGrain>(ThreadInput.ThreadId(id)).GetAsync(context.GetCaller()));

    private static async Task<Ok<ThreadView>> UpdateAsync(string id, UpdateThreadRequest body, HttpContext context, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IThreadGrain>(ThreadInput.ThreadId(id));
        return TypedResults.Ok(await grain.UpdateAsync(context.GetCaller(), new ThreadPatch(body.Title, body.Metadata)));
    }

    private static async Task<NoContent> DeleteAsync(string id, HttpContext context, IClusterClient cluster)
    {
        await cluster.GetGrain<IThreadGrain>(ThreadInput.ThreadId(id)).DeleteAsync(context.GetCaller());
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<PostMessageResponse>, ServerSentEventsResult<string>>> PostMessageAsync(
        string id, PostMessageRequest body, HttpContext context, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IThreadGrain>(ThreadInput.ThreadId(id));
        var key = ThreadInput.IdempotencyKey(context.Request.Headers["Idempotency-Key"]);
        var (caller, content) = (context.GetCaller(), ThreadInput.Content(body));
        if (MessageStreaming.IsWanted(context.Request))
        {
            return await MessageStreaming.StreamAsync(grain, caller, content, key, context);
        }

        return TypedResults.Ok(new PostMessageResponse(await grain.PostAsync(caller, content, key)));
    }

    private static async Task<Ok<Page<MessageView>>> ListMessagesAsync(
        string id, int? limit, string? cursor, long? after, HttpContext context, IClusterClient cluster)
    {
        var grain = cluster.GetGrain<IThreadGrain>(ThreadInput.ThreadId(id));
        return TypedResults.Ok(await MessagePages.ReadAsync(grain, context.GetCaller(), limit, cursor, after));
    }
}
