using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AgentSilo.Testing;
using Xunit.Sdk;

namespace AgentSilo.EndToEnd.Infrastructure;

/// <summary>The answer to one post: 200 with the stored messages, or a documented refusal (409, 503) without.</summary>
public sealed record PostAnswer(HttpStatusCode Status, JsonElement[]? Messages, TimeSpan? RetryAfter = null);

/// <summary>
/// A client posting as README "Failures and races" tells one to: each post with an Idempotency-Key, a 503 retried with the
/// same key after its Retry-After. Every request has the bound the service promises; running past it fails the test.
/// Any answer but 200, a 409 problem or a 503 problem with Retry-After fails the test too.
/// </summary>
public sealed class Poster(ServiceStack stack)
{
    /// <summary>
    /// The longest a post may take: its grain call's 2-minute response timeout (then 503), with 10 s of grace for
    /// Orleans' timeout timer and the API's own work.
    /// </summary>
    public static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(130);

    private static readonly TimeSpan RetryFor = TimeSpan.FromMinutes(3);

    private readonly ConcurrentBag<TimeSpan> _refusalTimes = [];

    /// <summary>How many answers were 503 and how long the slowest of them took to come.</summary>
    public string DescribeRefusals() =>
        $"{_refusalTimes.Count} answers were 503; the slowest took {_refusalTimes.DefaultIfEmpty().Max().TotalSeconds:0.0} s " +
        $"(bound {RequestBound.TotalSeconds:0} s)";

    /// <summary>A client of its own for one API instance, with the request bound as its timeout.</summary>
    public static HttpClient ClientFor(Uri api) => new() { BaseAddress = api, Timeout = RequestBound };

    public async Task<PostAnswer> PostOnceAsync(HttpClient client, string token, string threadId, string key, string content)
    {
        var api = new Api(stack, client);
        var clock = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await api.SendAsync(
                HttpMethod.Post, $"/threads/{threadId}/messages", token, new { content }, [KeyValuePair.Create("Idempotency-Key", key)]);
        }
        catch (TaskCanceledException e)
        {
            throw new XunitException($"POST {client.BaseAddress} ran past {RequestBound.TotalSeconds:0} s: {e.Message}{Environment.NewLine}{stack.RecentLogs()}");
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    return new(response.StatusCode, [.. (await api.ExpectAsync(response, HttpStatusCode.OK)).GetProperty("messages").EnumerateArray()]);
                case HttpStatusCode.Conflict:
                    await api.ExpectProblemAsync(response, HttpStatusCode.Conflict);
                    return new(response.StatusCode, null);
                default:
                    // Anything else, a 500 above all, fails here with the body and the services' logs.
                    await api.ExpectProblemAsync(response, HttpStatusCode.ServiceUnavailable);
                    Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "503 without Retry-After");
                    _refusalTimes.Add(clock.Elapsed);
                    return new(response.StatusCode, null, response.Headers.RetryAfter?.Delta);
            }
        }
    }

    /// <summary>Posts, and after a 503 waits as told and posts again with the same key, until the answer is 200 or 409.</summary>
    public async Task<PostAnswer> PostUntilAnsweredAsync(HttpClient client, string token, string threadId, string key, string content)
    {
        var deadline = DateTime.UtcNow + RetryFor;
        while (true)
        {
            var answer = await PostOnceAsync(client, token, threadId, key, content);
            if (answer.Status != HttpStatusCode.ServiceUnavailable)
            {
                return answer;
            }

            Assert.True(DateTime.UtcNow < deadline, $"still 503 after {RetryFor.TotalMinutes} minutes of retries{Environment.NewLine}{stack.RecentLogs()}");
            await Task.Delay(answer.RetryAfter!.Value);
        }
    }

    /// <summary>
    /// The thread read through every one of <paramref name="apis"/>: the same messages in the same order, numbered 1..N,
    /// each message of an answer in <paramref name="answered"/> once, and no user message twice.
    /// </summary>
    public async Task<List<JsonElement>> AssertStoredOnceAsync(
        IEnumerable<HttpClient> apis, string token, string threadId, IEnumerable<JsonElement> answered)
    {
        var reads = new List<List<JsonElement>>();
        foreach (var client in apis)
        {
            reads.Add(await new Api(stack, client).ReadAllPagesAsync($"/threads/{threadId}/messages", token));
        }

        var stored = reads[0];
        Assert.All(reads, read => Assert.Equal(Ids(stored), Ids(read)));
        Assert.Equal(Enumerable.Range(1, stored.Count), stored.Select(m => m.GetProperty("seq").GetInt32()));
        Assert.Equal(stored.Count, Ids(stored).Distinct().Count());
        var storedIds = Ids(stored).ToHashSet();
        Assert.All(answered, m => Assert.Contains(m.GetProperty("id").GetString(), storedIds));
        var userContents = stored.Where(m => m.GetProperty("role").GetString() == "user").Select(m => m.GetProperty("content").GetString()).ToList();
        Assert.Equal(userContents.Count, userContents.Distinct().Count());
        return stored;
    }

    private static IEnumerable<string?> Ids(IEnumerable<JsonElement> messages) => messages.Select(m => m.GetProperty("id").GetString());
}
