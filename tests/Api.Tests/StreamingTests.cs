using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using AgentSilo.Api.Tests.Infrastructure;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary><c>Accept: text/event-stream</c> on a post, through the real OpenAI connector and the scripted server.</summary>
[Collection(ModelApiCollection.Name)]
public sealed class StreamingTests(ModelApiFixture fixture)
{
    [Fact]
    public async Task A_streamed_post_sends_the_users_message_then_each_reply_as_it_is_written_then_done()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);

        using var response = await PostStreamingAsync(user.Client, id, "stream please");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadAllAsync(response);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString()), events.Select(e => e.EventId));
        Assert.Equal("message.completed", events[0].EventType);
        Assert.Equal("user", Json(events[0]).GetProperty("role").GetString());
        Assert.Equal("done", events[^1].EventType);

        foreach (var agent in new[] { "planner", "writer" })
        {
            var created = events.Single(e => e.EventType == "message.created" && Json(e).GetProperty("author").GetString() == agent);
            var messageId = Json(created).GetProperty("id").GetString();
            Assert.Equal("", Json(created).GetProperty("content").GetString());
            var deltas = events.Where(e => e.EventType == "message.delta" && Json(e).GetProperty("messageId").GetString() == messageId)
                .Select(e => Json(e).GetProperty("delta").GetString()).ToList();
            Assert.True(deltas.Count > 1);
            var completed = events.Single(e => e.EventType == "message.completed" && Json(e).GetProperty("id").GetString() == messageId);
            Assert.Equal(string.Concat(deltas), Json(completed).GetProperty("content").GetString());
            Assert.True(events.IndexOf(created) < events.IndexOf(completed));
        }

        var done = Json(events[^1]).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        var stored = (await JsonAsync(await user.Client.GetAsync($"/threads/{id}/messages"))).GetProperty("items")
            .EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(3, done.Count);
        Assert.Equal(done, stored);
    }

    [Fact]
    public async Task A_model_failure_mid_stream_ends_with_an_error_event_and_a_consistent_thread()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);

        using var response = await PostStreamingAsync(user.Client, id, "[[status:500]]");

        var events = await ReadAllAsync(response);
        Assert.Equal(["message.completed", "error"], events.Select(e => e.EventType));
        var problem = Json(events[1]);
        Assert.Equal(502, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _));
        Assert.Single((await JsonAsync(await user.Client.GetAsync($"/threads/{id}/messages"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_refused_streamed_post_is_plain_problem_details()
    {
        var owner = await NewUserAsync(fixture.Api);
        var stranger = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(owner.Client);

        using var response = await PostStreamingAsync(stranger.Client, id, "let me in");

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(0, (await JsonAsync(await owner.Client.GetAsync($"/threads/{id}"))).GetProperty("messageCount").GetInt64());
    }

    [Fact]
    public async Task A_client_that_disconnects_cuts_the_turn_off_and_the_cut_reply_is_stored_as_truncated()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);
        using var leaving = new CancellationTokenSource();

        using (var response = await PostStreamingAsync(user.Client, id, "[[stall]] [[say:one two three four five six]]", leaving.Token))
        {
            await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync(leaving.Token)).EnumerateAsync(leaving.Token))
            {
                if (item.EventType == "message.delta")
                {
                    break;
                }
            }

            await leaving.CancelAsync();
        }

        var stored = await WaitForMessagesAsync(user.Client, id, 2);
        Assert.Equal("planner", stored[1].GetProperty("author").GetString());
        Assert.Equal("one two t", stored[1].GetProperty("content").GetString());
        Assert.True(stored[1].GetProperty("truncated").GetBoolean());

        // The cut stream never sent its usage figures; the turn is charged an estimate, never nothing.
        var usage = (await JsonAsync(await user.Client.GetAsync("/users/me"))).GetProperty("usage");
        Assert.True(usage.GetProperty("modelTokensToday").GetInt64() > 0);

        // The thread is free again: the next post is not refused with 409.
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "again" })).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostStreamingAsync(HttpClient client, string id, string content, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/threads/{id}/messages") { Content = JsonContent.Create(new { content }) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    private static async Task<List<SseItem<string>>> ReadAllAsync(HttpResponseMessage response)
    {
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            items.Add(item);
        }

        return items;
    }

    private static JsonElement Json(SseItem<string> item) => JsonDocument.Parse(item.Data).RootElement.Clone();

    private static async Task<List<JsonElement>> WaitForMessagesAsync(HttpClient client, string id, int count)
    {
        // A readiness wait, not a timing claim: the cut-off turn stores its messages after the client has gone.
        List<JsonElement> items = [];
        for (var attempt = 0; attempt < 200 && items.Count < count; attempt++)
        {
            await Task.Delay(50);
            items = (await JsonAsync(await client.GetAsync($"/threads/{id}/messages"))).GetProperty("items").EnumerateArray().ToList();
        }

        Assert.Equal(count, items.Count);
        return items;
    }
}
