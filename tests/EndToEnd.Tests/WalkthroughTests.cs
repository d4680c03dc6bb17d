using System.Net;
using System.Text.Json;
using AgentSilo.EndToEnd.Infrastructure;
using AgentSilo.Testing;

namespace AgentSilo.EndToEnd;

/// <summary>The README's walkthrough, against the real processes.</summary>
[Collection(SharedStackCollection.Name)]
public sealed class WalkthroughTests(SharedStackFixture fixture)
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task Readme_walkthrough_works_end_to_end()
    {
        // Register alice and bob, and sign both in.
        var alice = await _api.SignUpAsync("alice");
        var bob = await _api.SignUpAsync("bob");
        Assert.NotEqual(alice.UserId, bob.UserId);

        var me = await _api.ExpectAsync(await _api.GetAsync("/users/me", alice.AccessToken), HttpStatusCode.OK);
        Assert.Equal(alice.UserId, me.GetProperty("userId").GetString());
        Assert.Equal(alice.Username, me.GetProperty("username").GetString());
        Assert.Equal(new[] { "user" }, Strings(me.GetProperty("roles")));
        Assert.Equal(new[] { "chatbot:read", "chatbot:write" }, Strings(me.GetProperty("scopes")).Order());

        // Alice creates a thread: it is hers and gets the default team.
        var thread = await _api.CreateThreadAsync(alice.AccessToken, "Trip to Lisbon");
        var threadId = thread.GetProperty("id").GetString()!;
        Assert.Equal(alice.UserId, thread.GetProperty("ownerId").GetString());
        Assert.Equal("Trip to Lisbon", thread.GetProperty("title").GetString());
        Assert.Equal(0, thread.GetProperty("messageCount").GetInt32());
        var team = Strings(thread.GetProperty("agents"));
        Assert.True(team.Length >= 2, $"the default team has {team.Length} agent(s)");

        // She chats: her message first, then every agent of the team once, in team order.
        const string question = "Plan three days in Lisbon for two people who like food and old trams.";
        var posted = await _api.PostMessageAsync(alice.AccessToken, threadId, question);
        Assert.Equal(1 + team.Length, posted.Length);
        Assert.Equal(Enumerable.Range(1, posted.Length), posted.Select(m => m.GetProperty("seq").GetInt32()));
        Assert.All(posted, m => Assert.Equal(threadId, m.GetProperty("threadId").GetString()));
        Assert.Equal(posted.Length, posted.Select(m => m.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal("user", posted[0].GetProperty("role").GetString());
        Assert.Equal(alice.Username, posted[0].GetProperty("author").GetString());
        Assert.Equal(question, posted[0].GetProperty("content").GetString());
        Assert.All(posted[1..], m =>
        {
            Assert.Equal("assistant", m.GetProperty("role").GetString());
            Assert.False(string.IsNullOrWhiteSpace(m.GetProperty("content").GetString()));
        });
        Assert.Equal(team, posted[1..].Select(m => m.GetProperty("author").GetString()!));

        // Reading the thread back gives exactly what the post answered.
        var messages = await _api.ExpectAsync(
            await _api.GetAsync($"/threads/{threadId}/messages", alice.AccessToken), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, messages.GetProperty("nextCursor").ValueKind);
        Assert.Equal(posted.Select(Summary), messages.GetProperty("items").EnumerateArray().Select(Summary));

        var reread = await _api.ExpectAsync(await _api.GetAsync($"/threads/{threadId}", alice.AccessToken), HttpStatusCode.OK);
        Assert.Equal(posted.Length, reread.GetProperty("messageCount").GetInt32());
        var aliceThreads = await _api.ReadAllPagesAsync("/threads", alice.AccessToken);
        Assert.Equal(new[] { threadId }, aliceThreads.Select(t => t.GetProperty("id").GetString()));

        // Bob cannot see, change, delete or post into it: the same 404 as a thread that does not exist.
        foreach (var request in new (HttpMethod Method, string Path, object? Body)[]
                 {
                     (HttpMethod.Get, $"/threads/{threadId}", null),
                     (HttpMethod.Patch, $"/threads/{threadId}", new { title = "mine now" }),
                     (HttpMethod.Delete, $"/threads/{threadId}", null),
                     (HttpMethod.Get, $"/threads/{threadId}/messages", null),
                     (HttpMethod.Post, $"/threads/{threadId}/messages", new { content = "hello?" }),
                 })
        {
            await _api.ExpectProblemAsync(
                await _api.SendAsync(request.Method, request.Path, bob.AccessToken, request.Body), HttpStatusCode.NotFound);
        }

        Assert.Empty(await _api.ReadAllPagesAsync("/threads", bob.AccessToken));
        var untouched = await _api.ExpectAsync(await _api.GetAsync($"/threads/{threadId}", alice.AccessToken), HttpStatusCode.OK);
        Assert.Equal("Trip to Lisbon", untouched.GetProperty("title").GetString());
        Assert.Equal(posted.Length, untouched.GetProperty("messageCount").GetInt32());

        // The admin lists every thread (here: alice's) and reads hers, giving a reason.
        var admin = await _api.SignInAdminAsync();
        var listed = await _api.ReadAllPagesAsync($"/admin/threads?ownerId={Uri.EscapeDataString(alice.UserId)}", admin.AccessToken);
        Assert.Equal(new[] { threadId }, listed.Select(t => t.GetProperty("id").GetString()));

        const string reason = "support ticket 4711: user asked for help";
        var adminRead = await _api.ExpectAsync(
            await _api.SendAsync(
                HttpMethod.Get, $"/admin/threads/{threadId}", admin.AccessToken,
                headers: [KeyValuePair.Create("X-Audit-Reason", reason)]),
            HttpStatusCode.OK);
        Assert.Equal(threadId, adminRead.GetProperty("id").GetString());
        Assert.Equal(alice.UserId, adminRead.GetProperty("ownerId").GetString());

        // The audit log has the read, with the admin as actor and the reason given.
        var audit = await _api.ReadAllPagesAsync($"/admin/audit?threadId={Uri.EscapeDataString(threadId)}", admin.AccessToken);
        var record = Assert.Single(audit, r => r.TryGetProperty("reason", out var r2) && r2.GetString() == reason);
        Assert.Equal(admin.UserId, record.GetProperty("actorId").GetString());
        Assert.Equal(threadId, record.GetProperty("threadId").GetString());
        Assert.Equal(alice.UserId, record.GetProperty("ownerId").GetString());
        Assert.False(string.IsNullOrEmpty(record.GetProperty("id").GetString()));
        Assert.False(string.IsNullOrEmpty(record.GetProperty("action").GetString()));

        // The listing was audited too, once per call, as threads.list.
        var byAdmin = await _api.ExpectAsync(
            await _api.GetAsync($"/admin/audit?actorId={Uri.EscapeDataString(admin.UserId)}&limit=100", admin.AccessToken),
            HttpStatusCode.OK);
        Assert.Contains(
            byAdmin.GetProperty("items").EnumerateArray(),
            r => r.GetProperty("action").GetString() == "threads.list"
                 && r.GetProperty("actorId").GetString() == admin.UserId);
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string Summary(JsonElement message) =>
        string.Join(
            "|",
            message.GetProperty("id").GetString(), message.GetProperty("seq").GetInt32(),
            message.GetProperty("role").GetString(), message.GetProperty("author").GetString(),
            message.GetProperty("content").GetString());
}
