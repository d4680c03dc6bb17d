using System.Net;
using System.Text.Json;
using AgentSilo.EndToEnd.Infrastructure;
using AgentSilo.Testing;

namespace AgentSilo.EndToEnd;

/// <summary>Storage goes away under load and comes back: clients are told to retry, nothing is half-written.</summary>
public sealed class StorageOutageTests
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Posts_during_a_storage_outage_answer_503_and_after_recovery_every_post_is_stored_exactly_once()
    {
        // A bucket no loop of posts can empty: this test is about storage, and a fast machine posts 60 times in the outage.
        await using var stack = await ServiceStack.StartAsync("outage", new Dictionary<string, string>
        {
            // The client posts as fast as it can; neither quota is what this test is about.
            ["Quota__Capacity"] = "100000",
            ["Quota__RefillPerSecond"] = "1000",
            ["Quota__ModelTokensPerDay"] = "1000000000",
        });
        var api = new Api(stack);
        var user = await api.SignUpAsync("outage");
        var threadId = (await api.CreateThreadAsync(user.AccessToken, "Through an outage")).GetProperty("id").GetString()!;

        // One client posts on and on, each post with its own Idempotency-Key, while storage goes away and comes back.
        using var stopPosting = new CancellationTokenSource();
        var attempts = new List<(string Key, string Content, HttpResponseMessage Response)>();
        var poster = Task.Run(async () =>
        {
            for (var i = 0; !stopPosting.IsCancellationRequested; i++)
            {
                var (key, content) = ($"post-{i}", $"message {i}");
                attempts.Add((key, content, await PostAsync(api, user, threadId, key, content)));
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(2));
        await stack.StopStorageAsync();
        await Task.Delay(TimeSpan.FromSeconds(10));

        using (var ready = await stack.Client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        using (var live = await stack.Client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        // Storage comes back; the same processes serve again without a restart.
        await stack.StartStorageAgainAsync();
        await WaitUntilReadyAsync(stack);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stopPosting.CancelAsync();
        await poster;

        // Every answer was a success or a retryable 503 with problem details: never a 500, never a hang.
        Assert.Contains(attempts, a => a.Response.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.Contains(attempts, a => a.Response.StatusCode == HttpStatusCode.OK);
        foreach (var (_, _, response) in attempts.Where(a => a.Response.StatusCode != HttpStatusCode.OK))
        {
            await api.ExpectProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "503 without Retry-After");
        }

        // The client retries each refused post with its key: a post whose write landed before the outage cut the
        // answer off is answered from the first time, any other runs now. Either way each is stored once.
        var answers = new List<JsonElement[]>();
        foreach (var (key, content, response) in attempts)
        {
            var final = response.StatusCode == HttpStatusCode.OK ? response : await PostAsync(api, user, threadId, key, content);
            var body = await api.ExpectAsync(final, HttpStatusCode.OK);
            answers.Add([.. body.GetProperty("messages").EnumerateArray()]);
        }

        var stored = await api.ReadAllPagesAsync($"/threads/{threadId}/messages", user.AccessToken);
        Assert.Equal(Enumerable.Range(1, stored.Count), stored.Select(m => m.GetProperty("seq").GetInt32()));
        Assert.Equal(answers.SelectMany(a => a).Select(m => m.GetProperty("id").GetString()).Order(),
            stored.Select(m => m.GetProperty("id").GetString()).Order());
        Assert.Equal(attempts.Select(a => a.Content).Order(),
            stored.Where(m => m.GetProperty("role").GetString() == "user").Select(m => m.GetProperty("content").GetString()).Order());
        var thread = await api.ExpectAsync(await api.GetAsync($"/threads/{threadId}", user.AccessToken), HttpStatusCode.OK);
        Assert.Equal(stored.Count, thread.GetProperty("messageCount").GetInt32());
    }

    private static Task<HttpResponseMessage> PostAsync(Api api, User user, string threadId, string key, string content) =>
        api.SendAsync(
            HttpMethod.Post, $"/threads/{threadId}/messages", user.AccessToken, new { content },
            [KeyValuePair.Create("Idempotency-Key", key)]);

    private static async Task WaitUntilReadyAsync(ServiceStack stack)
    {
        var deadline = DateTime.UtcNow + RecoveryTimeout;
        while (true)
        {
            using var ready = await stack.Client.GetAsync("/health/ready");
            if (ready.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"not ready {RecoveryTimeout} after storage came back{Environment.NewLine}{stack.RecentLogs()}");
            await Task.Delay(500);
        }
    }
}
