using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSilo.Api.Tests.Infrastructure;
using AgentSilo.Testing;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary>The real OpenAI connector against a scripted OpenAI-compatible server on loopback.</summary>
[Collection(ModelApiCollection.Name)]
public sealed class ModelTests(ModelApiFixture fixture)
{
    [Fact]
    public async Task Agents_answer_through_the_configured_openai_endpoint_with_their_instructions()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);
        var marker = Guid.NewGuid().ToString("N");

        var posted = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = $"plan {marker}" });

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var messages = (await JsonAsync(posted)).GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(["user", "assistant", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(["planner", "writer"], messages.Skip(1).Select(m => m.GetProperty("author").GetString()));
        Assert.All(messages.Skip(1), m => Assert.StartsWith("scripted answer to", m.GetProperty("content").GetString()));
        Assert.All(messages, m => Assert.False(m.GetProperty("truncated").GetBoolean()));

        var requests = fixture.Model.RequestsMentioning(marker);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(ModelApiFixture.RemoteModel, (string?)r["model"]));
        Assert.All(requests, r => Assert.True((bool?)r["stream"] == true));
        Assert.Contains("You are the planner", requests[0]["messages"]![0]!.ToJsonString());
        Assert.Contains("You are the writer", requests[1]["messages"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task A_username_with_a_dot_still_gets_answers()
    {
        // Usernames may hold '.', which OpenAI refuses in a participant name (the scripted server does too): the
        // human's messages must reach the model without one.
        var username = "dot." + Guid.NewGuid().ToString("N")[..8];
        var anonymous = fixture.Api.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await RegisterAsync(anonymous, username)).StatusCode);
        var client = WithBearer(fixture.Api, (await LoginAsync(anonymous, username)).AccessToken);
        var id = await CreateThreadAsync(client);

        var posted = await client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "hello" });

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
    }

    [Theory]
    [InlineData(429, HttpStatusCode.ServiceUnavailable)]
    [InlineData(503, HttpStatusCode.ServiceUnavailable)]
    [InlineData(500, HttpStatusCode.BadGateway)]
    [InlineData(400, HttpStatusCode.BadGateway)]
    public async Task A_failing_model_is_a_gateway_problem_and_the_users_message_is_stored_once(int modelStatus, HttpStatusCode expected)
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);

        var posted = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = $"[[status:{modelStatus}]]" });

        var problem = await AssertProblemAsync(posted, expected);
        Assert.DoesNotContain(ModelApiFixture.ApiKey, problem.ToString());
        if (expected == HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(int.Parse(posted.Headers.RetryAfter!.ToString()) >= 1);
        }

        var stored = await StoredAsync(user.Client, id);
        var single = Assert.Single(stored);
        Assert.Equal("user", single.GetProperty("role").GetString());
        Assert.Equal(1, (await JsonAsync(await user.Client.GetAsync($"/threads/{id}"))).GetProperty("messageCount").GetInt64());
    }

    [Fact]
    public async Task When_a_later_agent_fails_the_earlier_agents_finished_reply_is_stored_whole()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);

        var posted = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "[[fail-after:1:500]] plan it" });

        await AssertProblemAsync(posted, HttpStatusCode.BadGateway);
        var stored = await StoredAsync(user.Client, id);
        Assert.Equal(2, stored.Count);
        Assert.Equal("planner", stored[1].GetProperty("author").GetString());
        Assert.StartsWith("scripted answer", stored[1].GetProperty("content").GetString());
        Assert.False(stored[1].GetProperty("truncated").GetBoolean(), "the planner finished; only the writer failed");
    }

    [Fact]
    public async Task A_model_that_never_answers_is_cut_off_with_504()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);

        var posted = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "[[hang]]" });

        await AssertProblemAsync(posted, HttpStatusCode.GatewayTimeout);
        Assert.Single(await StoredAsync(user.Client, id));
    }

    [Fact]
    public async Task A_reply_cut_off_mid_stream_is_stored_marked_truncated_never_as_whole()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);

        var posted = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "[[stall]] [[say:one two three four five six]]" });

        await AssertProblemAsync(posted, HttpStatusCode.GatewayTimeout);
        var stored = await StoredAsync(user.Client, id);
        Assert.Equal(2, stored.Count);
        Assert.False(stored[0].GetProperty("truncated").GetBoolean());
        var partial = stored[1];
        Assert.Equal("planner", partial.GetProperty("author").GetString());
        Assert.True(partial.GetProperty("truncated").GetBoolean());
        Assert.Equal("one two t", partial.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_second_post_while_the_turn_runs_is_409_and_stores_nothing()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);
        var marker = Guid.NewGuid().ToString("N");

        var first = user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = $"[[hang]] {marker}" });
        await WaitUntilAsync(() => fixture.Model.RequestsMentioning(marker).Count > 0);
        var second = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "me too" });

        await AssertProblemAsync(second, HttpStatusCode.Conflict);
        await AssertProblemAsync(await first, HttpStatusCode.GatewayTimeout);
        var stored = await StoredAsync(user.Client, id);
        Assert.Equal($"[[hang]] {marker}", Assert.Single(stored).GetProperty("content").GetString());
    }

    private static async Task<List<JsonElement>> StoredAsync(HttpClient client, string id) =>
        (await JsonAsync(await client.GetAsync($"/threads/{id}/messages"))).GetProperty("items").EnumerateArray().ToList();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        // A readiness wait, not a timing claim: it only bounds how long a broken run takes to fail.
        for (var attempt = 0; attempt < 200 && !condition(); attempt++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
