using System.Net;
using System.Net.Http.Json;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class AdminTests(ApiFixture fixture)
{
    private async Task<HttpClient> AdminAsync(string? scope = null)
    {
        var tokens = await LoginAsync(fixture.Api.CreateClient(), fixture.AdminUsername, fixture.AdminPassword, scope);
        return WithBearer(fixture.Api, tokens.AccessToken);
    }

    [Fact]
    public async Task Admin_reads_of_another_users_thread_are_audited_with_the_reason()
    {
        var owner = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(owner.Client);
        var admin = await AdminAsync();
        admin.DefaultRequestHeaders.Add("X-Audit-Reason", "  support ticket 42  ");

        var list = await admin.GetAsync($"/admin/threads?ownerId={owner.UserId}");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains((await JsonAsync(list)).GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/admin/threads/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/admin/threads/{id}/messages")).StatusCode);

        var audit = await JsonAsync(await admin.GetAsync($"/admin/audit?threadId={id}"));
        var records = audit.GetProperty("items").EnumerateArray().ToArray();
        Assert.Contains(records, r => r.GetProperty("action").GetString() == "threads.read"
            && r.GetProperty("reason").GetString() == "support ticket 42"
            && r.GetProperty("ownerId").GetString() == owner.UserId);
        Assert.All(records, r => Assert.EndsWith("Z", r.GetProperty("at").GetString()));
    }

    [Fact]
    public async Task An_admin_cannot_disable_their_own_account_and_keeps_working()
    {
        var admin = await AdminAsync();
        var me = await JsonAsync(await admin.GetAsync("/users/me"));
        var adminId = me.GetProperty("userId").GetString()!;

        var refused = await admin.PostAsync($"/admin/users/{adminId}/disable", null);

        await AssertProblemAsync(refused, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/audit")).StatusCode);
    }

    [Fact]
    public async Task A_non_admin_on_admin_routes_is_403_insufficient_scope()
    {
        var user = await NewUserAsync(fixture.Api);
        foreach (var path in new[] { "/admin/threads", "/admin/audit" })
        {
            var response = await user.Client.GetAsync(path);
            await AssertProblemAsync(response, HttpStatusCode.Forbidden);
            Assert.Equal("error=\"insufficient_scope\", scope=\"admin\"", Assert.Single(response.Headers.WwwAuthenticate).Parameter);
        }

        await AssertProblemAsync(await user.Client.PostAsync($"/admin/users/{user.UserId}/disable", null), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_token_narrowed_to_chatbot_scopes_is_an_ordinary_user()
    {
        var narrowed = await AdminAsync(scope: "chatbot:read chatbot:write");
        var response = await narrowed.GetAsync("/admin/audit");
        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_disabled_user_is_refused_on_the_next_request_and_can_come_back_when_enabled()
    {
        var user = await NewUserAsync(fixture.Api);
        var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/threads")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/admin/users/{user.UserId}/disable", null)).StatusCode);
        await AssertProblemAsync(await user.Client.GetAsync("/threads"), HttpStatusCode.Unauthorized);
        var login = await PostTokenAsync(fixture.Api.CreateClient(), ("grant_type", "password"), ("username", user.Username), ("password", Password));
        Assert.Equal("invalid_grant", (await JsonAsync(login)).GetProperty("error").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/admin/users/{user.UserId}/enable", null)).StatusCode);
        await LoginAsync(fixture.Api.CreateClient(), user.Username);
    }

    [Fact]
    public async Task Disabling_an_unknown_user_is_404()
    {
        var admin = await AdminAsync();
        var response = await admin.PostAsync($"/admin/users/{Guid.NewGuid():N}/disable", null);
        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Admin_may_delete_another_users_thread_but_not_post_into_it()
    {
        var owner = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(owner.Client);
        var admin = await AdminAsync();
        await AssertProblemAsync(await admin.PostAsJsonAsync($"/threads/{id}/messages", new { content = "hi" }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/admin/threads/{id}")).StatusCode);
        await AssertProblemAsync(await owner.Client.GetAsync($"/threads/{id}"), HttpStatusCode.NotFound);
    }
}
