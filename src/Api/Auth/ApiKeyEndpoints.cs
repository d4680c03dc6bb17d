using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AgentSilo.Access;
using AgentSilo.Api.Paging;
using AgentSilo.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentSilo.Api.Auth;

/// <summary><c>/auth/api-keys</c>: service-to-service keys, managed with an access token only (never with a key).</summary>
public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/auth/api-keys").WithTags("API keys").RequireAuthorization(CredentialSchemes.NotApiKeyPolicy);
        keys.MapPost("/", CreateAsync);
        keys.MapGet("/", ListAsync);
        keys.MapDelete("/{id}", RevokeAsync);
        return app;
    }

    private static async Task<Created<CreatedApiKeyResponse>> CreateAsync(
        CreateApiKeyRequest body, HttpContext context, IClusterClient cluster)
    {
        TokenResponses.NoStore(context.Response);
        var caller = context.GetCaller();
        var request = new NewApiKey(body.Name ?? string.Empty, body.Scopes ?? [], ExpiresAt(body.ExpiresAt));
        var created = await cluster.GetGrain<IUserApiKeys>(caller.UserId).CreateApiKeyAsync(caller, request);
        var view = created.Key;
        var key = new ApiKey(view.Id, caller.UserId, created.Secret);
        return TypedResults.Created($"/auth/api-keys/{view.Id}", new CreatedApiKeyResponse(
            view.Id, view.Name, key.ToString(), key.Prefix, view.Scopes, view.CreatedAt, view.ExpiresAt));
    }

    private static async Task<Ok<Page<ApiKeyItem>>> ListAsync(int? limit, string? cursor, HttpContext context, IClusterClient cluster)
    {
        var size = PageQuery.Limit(limit);
        var after = AfterKeyId(PageQuery.Cursor(cursor));
        var caller = context.GetCaller();
        var all = await cluster.GetGrain<IUserApiKeys>(caller.UserId).ListApiKeysAsync(caller);

        // At most ApiKeyBook.MaxKeys per user, so the page is cut here rather than in the grain.
        var start = after is null ? 0 : Array.FindIndex(all, k => k.Id == after) + 1;
        var page = all.Skip(start).Take(size).Select(k => new ApiKeyItem(
            k.Id, k.Name, ApiKey.PrefixOf(k.Id), k.Scopes, k.CreatedAt, k.ExpiresAt, k.LastUsedAt)).ToArray();
        var next = start + page.Length < all.Length ? Base64Url.EncodeToString(Encoding.ASCII.GetBytes(page[^1].Id)) : null;
        return TypedResults.Ok(new Page<ApiKeyItem>(page, next));
    }

    private static async Task<NoContent> RevokeAsync(string id, HttpContext context, IClusterClient cluster)
    {
        var caller = context.GetCaller();
        var keyId = ApiKey.IsKeyId(id) ? id : throw new NotFoundException();
        await cluster.GetGrain<IUserApiKeys>(caller.UserId).RevokeApiKeyAsync(caller, keyId);
        return TypedResults.NoContent();
    }

    private static DateTimeOffset? ExpiresAt(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        // An explicit offset or 'Z' is required: a local time would mean something else on every server.
        var time = raw.IndexOf('T');
        var hasOffset = time > 0 && (raw.EndsWith('Z') || raw.AsSpan(time).IndexOfAny('+', '-') >= 0);
        if (!hasOffset || !DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            throw new ValidationFailedException("expiresAt must be an ISO 8601 time with an offset, e.g. 2026-12-31T00:00:00Z.");
        }

        return value.ToUniversalTime();
    }

    private static string? AfterKeyId(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var id = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            if (ApiKey.IsKeyId(id))
            {
                return id;
            }
        }
        catch (FormatException)
        {
        }

        throw new ValidationFailedException("cursor is not valid.");
    }
}
