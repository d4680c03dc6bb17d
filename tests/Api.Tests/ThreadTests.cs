using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class ThreadTests(ApiFixture fixture)
{
    [Fact]
    public async Task Owner_creates_reads_updates_posts_and_deletes_a_thread()
    {
        var user = await NewUserAsync(fixture.Api);
        var created = await user.Client.PostAsJsonAsync("/threads", new { title = "plans", metadata = new Dictionary<string, string> { ["k"] = "v" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var thread = await JsonAsync(created);
        var id = thread.GetProperty("id").GetString()!;
        Assert.Equal($"/threads/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(32, id.Length);
        Assert.Equal(user.UserId, thread.GetProperty("ownerId").GetString());
        Assert.EndsWith("Z", thread.GetProperty("createdAt").GetString());

        var listed = await JsonAsync(await user.Client.GetAsync("/threads"));
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetString() == id);

        var patched = await user.Client.PatchAsJsonAsync($"/threads/{id}", new { title = "renamed" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("renamed", (await JsonAsync(patched)).GetProperty("title").GetString());

        var posted = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "hello agents" });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var messages = (await JsonAsync(posted)).GetProperty("messages").EnumerateArray().ToArray();
        Assert.True(messages.Length >= 2);
        Assert.Equal("user", messages[0].GetProperty("role").GetString());
        Assert.Equal(1, messages[0].GetProperty("seq").GetInt64());

        var page = await JsonAsync(await user.Client.GetAsync($"/threads/{id}/messages?limit=1"));
        Assert.Single(page.GetProperty("items").EnumerateArray());
        var cursor = page.GetProperty("nextCursor").GetString();
        var second = await JsonAsync(await user.Client.GetAsync($"/threads/{id}/messages?limit=100&cursor={cursor}"));
        Assert.Equal(2, second.GetProperty("items")[0].GetProperty("seq").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        var after = await JsonAsync(await user.Client.GetAsync($"/threads/{id}/messages?after=1"));
        Assert.Equal(2, after.GetProperty("items")[0].GetProperty("seq").GetInt64());

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/threads/{id}")).StatusCode);
        await AssertProblemAsync(await user.Client.GetAsync($"/threads/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_users_thread_is_not_found_on_every_route()
    {
        var owner = await NewUserAsync(fixture.Api);
        var stranger = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(owner.Client);

        await AssertProblemAsync(await stranger.Client.GetAsync($"/threads/{id}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.Client.PatchAsJsonAsync($"/threads/{id}", new { title = "mine" }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.Client.DeleteAsync($"/threads/{id}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "hi" }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.Client.GetAsync($"/threads/{id}/messages"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await stranger.Client.GetAsync("/threads/not-a-thread-id"), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/threads/{id}")).StatusCode);
    }

    [Theory]
    [InlineData("""{"title":"t","ownerId":"someone"}""")]
    [InlineData("""{"title":"t","id":"0123456789abcdef0123456789abcdef"}""")]
    [InlineData("""{"title":"t","roles":["admin"]}""")]
    [InlineData("""{"title":"t","createdAt":"2020-01-01T00:00:00Z"}""")]
    [InlineData("""{"title":"a","title":"b"}""")]
    [InlineData("""{"title":"t",""")]
    [InlineData("""[1,2]""")]
    public async Task A_body_with_server_owned_unknown_or_malformed_content_is_400(string body)
    {
        var user = await NewUserAsync(fixture.Api);
        var response = await user.Client.PostAsync("/threads", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_message_longer_than_32768_characters_is_400_and_32768_is_accepted()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);
        var tooLong = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = new string('a', 32_769) });
        await AssertProblemAsync(tooLong, HttpStatusCode.BadRequest);
        var empty = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "" });
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest);
        var longest = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = new string('a', 32_768) });
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_413()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);
        var body = $$"""{"content":"{{new string('a', 1024 * 1024)}}"}""";
        var response = await user.Client.PostAsync($"/threads/{id}/messages", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("/threads?limit=0")]
    [InlineData("/threads?limit=101")]
    [InlineData("/threads?limit=abc")]
    [InlineData("/threads?limit=-1")]
    public async Task A_limit_outside_1_to_100_is_400(string path)
    {
        var user = await NewUserAsync(fixture.Api);
        await AssertProblemAsync(await user.Client.GetAsync(path), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?after=-1")]
    [InlineData("?after=abc")]
    [InlineData("?cursor=!!!")]
    public async Task Bad_message_paging_is_400(string query)
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);
        await AssertProblemAsync(await user.Client.GetAsync($"/threads/{id}/messages{query}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Two_idempotency_key_headers_are_400_and_store_nothing_instead_of_being_joined_into_one_key()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/threads/{id}/messages")
        {
            Content = JsonContent.Create(new { content = "which key?" }),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", ["first", "second"]);

        await AssertProblemAsync(await user.Client.SendAsync(request), HttpStatusCode.BadRequest);
        var page = await JsonAsync(await user.Client.GetAsync($"/threads/{id}/messages"));
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Agents_lists_the_profiles_a_caller_may_use()
    {
        var user = await NewUserAsync(fixture.Api);
        var agents = await JsonAsync(await user.Client.GetAsync("/agents"));
        Assert.True(agents.GetProperty("items").GetArrayLength() >= 2);
    }
}
