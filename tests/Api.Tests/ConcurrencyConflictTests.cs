using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSilo.Api.Tests.Infrastructure;
using Azure.Data.Tables;
using static AgentSilo.Api.Tests.Infrastructure.ApiCalls;

namespace AgentSilo.Api.Tests;

/// <summary>
/// Someone else writes a thread's state in storage behind its grain's back (another activation, an operator's tool):
/// the grain's next write meets a real ETag conflict. The client is told to retry (503, Retry-After), never a 500, sees
/// nothing of the refused post, and its retry succeeds because the grain was deactivated and read the state again.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ConcurrencyConflictTests(ApiFixture fixture)
{
    [Fact]
    public async Task A_post_that_meets_an_etag_conflict_is_503_with_retry_after_and_its_retry_with_the_same_key_is_stored_once()
    {
        var user = await NewUserAsync(fixture.Api);
        var id = await CreateThreadAsync(user.Client);
        var first = await user.Client.PostAsJsonAsync($"/threads/{id}/messages", new { content = "before the conflict" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var before = await ReadMessagesAsync(user.Client, id);

        await TouchThreadStateAsync(id);
        var conflicted = await PostAsync(user.Client, id, "key-1", "during the conflict");

        var problem = await AssertProblemAsync(conflicted, HttpStatusCode.ServiceUnavailable);
        Assert.True(conflicted.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "503 without Retry-After");
        Assert.DoesNotContain("ETag", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        var afterConflict = await ReadMessagesAsync(user.Client, id);
        Assert.Equal(before.Select(m => m.GetProperty("id").GetString()), afterConflict.Select(m => m.GetProperty("id").GetString()));
        var thread = await JsonAsync(await user.Client.GetAsync($"/threads/{id}"));
        Assert.Equal(before.Count, thread.GetProperty("messageCount").GetInt32());

        // The client retries as told, with the same key: the post runs once, on a fresh activation.
        var retried = await PostAsync(user.Client, id, "key-1", "during the conflict");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var answer = (await JsonAsync(retried)).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(before.Count + 1, answer[0].GetProperty("seq").GetInt32());
        var replay = await PostAsync(user.Client, id, "key-1", "during the conflict");
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(
            answer.Select(m => m.GetProperty("id").GetString()),
            (await JsonAsync(replay)).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetString()));

        var after = await ReadMessagesAsync(user.Client, id);
        Assert.Equal(Enumerable.Range(1, after.Count), after.Select(m => m.GetProperty("seq").GetInt32()));
        Assert.Equal(before.Count + answer.Count, after.Count);
        Assert.Single(after, m => m.GetProperty("content").GetString() == "during the conflict");
    }

    /// <summary>Rewrites the thread's grain-state row unchanged, which gives it a new ETag, as any other writer would.</summary>
    private async Task TouchThreadStateAsync(string threadId)
    {
        var table = new TableServiceClient(fixture.Storage).GetTableClient("OrleansGrainState");
        var suffix = $"_thread_{threadId}";
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (row.PartitionKey.EndsWith(suffix, StringComparison.Ordinal))
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
                return;
            }
        }

        Assert.Fail($"no stored state for thread {threadId}");
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string threadId, string key, string content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/threads/{threadId}/messages") { Content = JsonContent.Create(new { content }) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    /// <summary>
    /// Reads the thread's messages as a client should: a read that meets the grain while it is being deactivated after
    /// the conflict may itself answer 503 with Retry-After, and is retried after it (a few times at most).
    /// </summary>
    private static async Task<List<JsonElement>> ReadMessagesAsync(HttpClient client, string threadId)
    {
        var response = await client.GetAsync($"/threads/{threadId}/messages?limit=100");
        for (var attempt = 0; attempt < 3 && response.StatusCode == HttpStatusCode.ServiceUnavailable; attempt++)
        {
            await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            response = await client.GetAsync($"/threads/{threadId}/messages?limit=100");
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await JsonAsync(response);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        return [.. page.GetProperty("items").EnumerateArray()];
    }
}
