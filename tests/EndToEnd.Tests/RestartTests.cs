using System.Net;
using System.Text.Json;
using AgentSilo.EndToEnd.Infrastructure;
using AgentSilo.Testing;

namespace AgentSilo.EndToEnd;

/// <summary>Everything durable lives in storage: stopping every process, storage included, loses nothing.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Stopping_and_starting_everything_loses_nothing()
    {
        await using var stack = await ServiceStack.StartAsync("restart");
        var api = new Api(stack);

        var user = await api.SignUpAsync("durable");
        var thread = await api.CreateThreadAsync(user.AccessToken, "Before the restart");
        var threadId = thread.GetProperty("id").GetString()!;
        var first = await api.PostMessageAsync(user.AccessToken, threadId, "First question, before the restart.");
        var second = await api.PostMessageAsync(user.AccessToken, threadId, "Second question, before the restart.");
        var before = first.Concat(second).Select(Summary).ToList();

        await stack.StopAllAsync();
        await stack.StartAllAgainAsync();

        // Same user, same password, same thread, same messages.
        var token = await api.PasswordGrantAsync(user.Username);
        var accessToken = token.GetProperty("access_token").GetString()!;
        var me = await api.ExpectAsync(await api.GetAsync("/users/me", accessToken), HttpStatusCode.OK);
        Assert.Equal(user.UserId, me.GetProperty("userId").GetString());

        var reread = await api.ExpectAsync(await api.GetAsync($"/threads/{threadId}", accessToken), HttpStatusCode.OK);
        Assert.Equal("Before the restart", reread.GetProperty("title").GetString());
        Assert.Equal(before.Count, reread.GetProperty("messageCount").GetInt32());
        var threads = await api.ReadAllPagesAsync("/threads", accessToken);
        Assert.Equal(new[] { threadId }, threads.Select(t => t.GetProperty("id").GetString()));

        var messages = await api.ReadAllPagesAsync($"/threads/{threadId}/messages", accessToken);
        Assert.Equal(before, messages.Select(Summary));

        // The conversation goes on at the next seq.
        var after = await api.PostMessageAsync(accessToken, threadId, "Third question, after the restart.");
        Assert.Equal(
            Enumerable.Range(before.Count + 1, after.Length), after.Select(m => m.GetProperty("seq").GetInt32()));
        var all = await api.ReadAllPagesAsync($"/threads/{threadId}/messages", accessToken);
        Assert.Equal(Enumerable.Range(1, before.Count + after.Length), all.Select(m => m.GetProperty("seq").GetInt32()));

        // The bootstrap admin survived too, and was not created twice.
        var admin = await api.SignInAdminAsync();
        var listed = await api.ReadAllPagesAsync($"/admin/threads?ownerId={Uri.EscapeDataString(user.UserId)}", admin.AccessToken);
        Assert.Equal(new[] { threadId }, listed.Select(t => t.GetProperty("id").GetString()));
    }

    private static string Summary(JsonElement message) =>
        string.Join(
            "|",
            message.GetProperty("id").GetString(), message.GetProperty("seq").GetInt32(),
            message.GetProperty("role").GetString(), message.GetProperty("author").GetString(),
            message.GetProperty("content").GetString(), message.GetProperty("createdAt").GetString());
}
