using System.Net;
using System.Text.Json;
using AgentSilo.Security.Infrastructure;
using AgentSilo.Testing;
using static AgentSilo.Security.Infrastructure.Answers;

namespace AgentSilo.Security;

/// <summary>Reaching data that is not the caller's: other users' threads, admin routes, smuggled fields, method overrides.</summary>
[Collection(SecurityStackCollection.Name)]
public sealed class AccessAttackTests(SecurityStackFixture fixture) : IDisposable
{
    private readonly Api _api = fixture.NewApi();

    public void Dispose() => _api.Client.Dispose();

    public static TheoryData<string, string, string?> ThreadRoutes => new()
    {
        { "GET", "/threads/{id}", null },
        { "PATCH", "/threads/{id}", """{"title":"mine now"}""" },
        { "DELETE", "/threads/{id}", null },
        { "GET", "/threads/{id}/messages", null },
        { "POST", "/threads/{id}/messages", """{"content":"let me in"}""" },
    };

    [Theory]
    [MemberData(nameof(ThreadRoutes))]
    public async Task Another_users_thread_is_404_on_every_route_and_verb_and_stays_untouched(string method, string route, string? body)
    {
        var (owner, threadId) = await OwnerWithThreadAsync();
        var intruder = await _api.SignUpAsync("intruder");

        var response = await SendAsync(_api, new HttpMethod(method), route.Replace("{id}", threadId), bearer: intruder.AccessToken, json: body);

        await _api.ExpectProblemAsync(response, HttpStatusCode.NotFound);
        var thread = await _api.ExpectAsync(await _api.GetAsync($"/threads/{threadId}", owner.AccessToken), HttpStatusCode.OK);
        Assert.Equal("private", thread.GetProperty("title").GetString());
        Assert.Equal(0, thread.GetProperty("messageCount").GetInt32());
    }

    [Fact]
    public async Task Another_users_thread_is_404_with_an_api_key_too()
    {
        var (_, threadId) = await OwnerWithThreadAsync();
        var intruder = await _api.SignUpAsync("keyholder");
        var key = await ApiKeys.CreateAsync(_api, intruder, "chatbot:read", "chatbot:write");

        await _api.ExpectProblemAsync(await SendAsync(_api, HttpMethod.Get, $"/threads/{threadId}", apiKey: key), HttpStatusCode.NotFound);
        await _api.ExpectProblemAsync(await SendAsync(_api, HttpMethod.Delete, $"/threads/{threadId}", apiKey: key), HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/admin/threads" },
        { "GET", "/admin/threads/{id}" },
        { "GET", "/admin/threads/{id}/messages" },
        { "DELETE", "/admin/threads/{id}" },
        { "GET", "/admin/audit" },
        { "POST", "/admin/users/{owner}/disable" },
        { "POST", "/admin/users/{owner}/enable" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Admin_routes_are_403_insufficient_scope_for_a_user(string method, string route)
    {
        var (owner, threadId) = await OwnerWithThreadAsync();
        var user = await _api.SignUpAsync("climber");
        var path = route.Replace("{id}", threadId).Replace("{owner}", owner.UserId);

        await InsufficientScopeAsync(_api, await SendAsync(_api, new HttpMethod(method), path, bearer: user.AccessToken), "admin");
        await _api.ExpectAsync(await _api.GetAsync($"/threads/{threadId}", owner.AccessToken), HttpStatusCode.OK);
        await _api.ExpectAsync(await _api.GetAsync("/users/me", owner.AccessToken), HttpStatusCode.OK);
    }

    public static TheoryData<string, string, string> ServerOwnedFields
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            string[] threadFields = ["id", "ownerId", "createdAt", "updatedAt", "messageCount", "role", "roles", "scopes"];
            foreach (var name in threadFields)
            {
                data.Add("POST", "/threads", name);
                data.Add("PATCH", "/threads/{id}", name);
            }

            foreach (var name in new[] { "id", "threadId", "seq", "role", "author", "createdAt", "roles", "scopes" })
            {
                data.Add("POST", "/threads/{id}/messages", name);
            }

            foreach (var name in new[] { "id", "key", "prefix", "createdAt", "lastUsedAt", "ownerId", "userId", "role", "roles" })
            {
                data.Add("POST", "/auth/api-keys", name);
            }

            foreach (var name in new[] { "userId", "id", "role", "roles", "scopes", "createdAt", "disabled" })
            {
                data.Add("POST", "/auth/register", name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ServerOwnedFields))]
    public async Task A_server_owned_field_in_a_body_is_400_and_changes_nothing(string method, string route, string field)
    {
        var (owner, threadId) = await OwnerWithThreadAsync();
        var username = Api.NewUsername("smuggler");
        var body = route switch
        {
            "/threads" or "/threads/{id}" => new Dictionary<string, object> { ["title"] = "smuggled" },
            "/threads/{id}/messages" => new Dictionary<string, object> { ["content"] = "smuggled" },
            "/auth/api-keys" => new Dictionary<string, object> { ["name"] = "smuggled", ["scopes"] = new[] { "chatbot:read" } },
            _ => new Dictionary<string, object> { ["username"] = username, ["password"] = Api.Password },
        };
        body[field] = field is "roles" or "scopes" ? new[] { "admin" } : field is "seq" or "messageCount" ? 7 : "admin";

        var response = await SendAsync(_api, new HttpMethod(method), route.Replace("{id}", threadId),
            bearer: route == "/auth/register" ? null : owner.AccessToken, json: JsonSerializer.Serialize(body));

        await _api.ExpectProblemAsync(response, HttpStatusCode.BadRequest);
        var threads = await _api.ExpectAsync(await _api.GetAsync("/threads", owner.AccessToken), HttpStatusCode.OK);
        var thread = Assert.Single(threads.GetProperty("items").EnumerateArray());
        Assert.Equal("private", thread.GetProperty("title").GetString());
        Assert.Equal(0, thread.GetProperty("messageCount").GetInt32());
        var keys = await _api.ExpectAsync(await _api.GetAsync("/auth/api-keys", owner.AccessToken), HttpStatusCode.OK);
        Assert.Empty(keys.GetProperty("items").EnumerateArray());
        await _api.ExpectTokenErrorAsync(
            await _api.TokenRequestAsync(("grant_type", "password"), ("username", username), ("password", Api.Password)), "invalid_grant");
    }

    public static TheoryData<string> OverrideHeaders => ["X-HTTP-Method-Override", "X-Method-Override", "X-HTTP-Method"];

    [Theory]
    [MemberData(nameof(OverrideHeaders))]
    public async Task Method_override_headers_on_admin_routes_do_nothing(string header)
    {
        var (owner, threadId) = await OwnerWithThreadAsync();
        var admin = await _api.SignInAdminAsync();

        // A read stays a read for the admin ...
        await _api.ExpectAsync(
            await SendAsync(_api, HttpMethod.Get, $"/admin/threads/{threadId}", bearer: admin.AccessToken, headers: (header, "DELETE")),
            HttpStatusCode.OK);
        // ... a POST is not turned into the DELETE it asks for ...
        await _api.ExpectProblemAsync(
            await SendAsync(_api, HttpMethod.Post, $"/admin/threads/{threadId}", bearer: admin.AccessToken, headers: (header, "DELETE")),
            HttpStatusCode.MethodNotAllowed);
        // ... nor a GET into the POST that disables a user, not even for the admin.
        var disable = await SendAsync(_api, HttpMethod.Get, $"/admin/users/{owner.UserId}/disable", bearer: admin.AccessToken,
            headers: (header, "POST"));
        await _api.ExpectProblemAsync(disable, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(["POST"], disable.Content.Headers.Allow);

        await _api.ExpectAsync(await _api.GetAsync($"/threads/{threadId}", owner.AccessToken), HttpStatusCode.OK);
        await _api.ExpectAsync(await _api.GetAsync("/users/me", owner.AccessToken), HttpStatusCode.OK);
    }

    private async Task<(User Owner, string ThreadId)> OwnerWithThreadAsync()
    {
        var owner = await _api.SignUpAsync("owner");
        var thread = await _api.CreateThreadAsync(owner.AccessToken, "private");
        return (owner, thread.GetProperty("id").GetString()!);
    }
}
