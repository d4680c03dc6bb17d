using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AgentSilo.EndToEnd.Infrastructure;
using AgentSilo.Testing;
using Xunit.Abstractions;

namespace AgentSilo.EndToEnd;

/// <summary>
/// Issue 4, races and a dying silo, with the real processes: two silos and two API instances on one Azurite. Fifty
/// clients race on one thread through both APIs; a silo is killed (SIGKILL) in the middle of a burst of posts and
/// started again. No acknowledged message is lost or doubled, no answer is a 500, no request runs past its bound.
/// </summary>
public sealed class FailoverTests(FailoverStackFixture fixture, ITestOutputHelper output) : IClassFixture<FailoverStackFixture>
{
    private const int RacingClients = 50;
    private const int BurstThreads = 6;

    private readonly Poster _poster = new(fixture.Stack);

    private Uri[] Apis => [fixture.Stack.ApiAddress, fixture.SecondApi];

    [Fact]
    public async Task Fifty_clients_through_two_apis_posting_to_one_thread_at_once_are_stored_once_each_in_one_order()
    {
        var (user, threadId) = await NewThreadAsync("racer");
        var clients = Enumerable.Range(0, RacingClients).Select(i => Poster.ClientFor(Apis[i % 2])).ToList();
        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var posts = clients.Select((client, i) => Task.Run(async () =>
            {
                var content = $"client {i} says {Guid.NewGuid():N}";
                await start.Task;
                return (Content: content, Answer: await _poster.PostUntilAnsweredAsync(client, user.AccessToken, threadId, $"race-{i}", content));
            })).ToList();
            start.SetResult();
            var outcomes = await Task.WhenAll(posts);

            output.WriteLine(string.Join(", ", outcomes.GroupBy(o => o.Answer.Status).Select(g => $"{g.Count()} x {(int)g.Key}")) + "; " + _poster.DescribeRefusals());
            var acknowledged = outcomes.Where(o => o.Answer.Status == HttpStatusCode.OK).ToList();
            Assert.NotEmpty(acknowledged);
            var stored = await _poster.AssertStoredOnceAsync(
                clients.Take(2), user.AccessToken, threadId, acknowledged.SelectMany(o => o.Answer.Messages!));
            Assert.Equal(acknowledged.Sum(o => o.Answer.Messages!.Length), stored.Count);
            Assert.Equal(acknowledged.Select(o => o.Content).Order(), UserContents(stored).Order());
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_silo_killed_mid_burst_loses_no_acknowledged_post_and_once_restarted_it_rejoins()
    {
        var (user, _) = await NewThreadAsync("burst");
        var threadIds = new List<string>();
        for (var t = 0; t < BurstThreads; t++)
        {
            threadIds.Add(await CreateThreadAsync(user, $"burst {t}"));
        }

        // Two clients per thread, one through each API, post on and on; each post has its key and is retried on 503.
        var clients = threadIds.SelectMany(_ => Apis.Select(Poster.ClientFor)).ToList();
        var answers = new ConcurrentBag<(string ThreadId, string Content, PostAnswer Answer)>();
        using var stop = new CancellationTokenSource();
        var posters = clients.Select((client, c) => Task.Run(async () =>
        {
            var threadId = threadIds[c / 2];
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var content = $"client {c} post {i}";
                answers.Add((threadId, content, await _poster.PostUntilAnsweredAsync(client, user.AccessToken, threadId, $"c{c}-{i}", content)));
            }
        })).ToList();

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var answeredBeforeKill = answers.Count;
            var killed = fixture.SecondSilo;
            await killed.Process.KillAsync();
            await Task.Delay(TimeSpan.FromSeconds(20));
            await stop.CancelAsync();
            await Task.WhenAll(posters);

            output.WriteLine(
                $"{answeredBeforeKill} posts answered before the kill, {answers.Count} in all: " +
                string.Join(", ", answers.GroupBy(a => a.Answer.Status).Select(g => $"{g.Count()} x {(int)g.Key}")) + "; " + _poster.DescribeRefusals());
            Assert.True(answeredBeforeKill > 0, "nothing was posted before the kill");

            foreach (var threadId in threadIds)
            {
                var mine = answers.Where(a => a.ThreadId == threadId && a.Answer.Status == HttpStatusCode.OK).ToList();
                var stored = await _poster.AssertStoredOnceAsync(
                    clients.Take(2), user.AccessToken, threadId, mine.SelectMany(a => a.Answer.Messages!));
                Assert.Equal(mine.Select(a => a.Content).Order(), UserContents(stored).Order());
            }

            // The killed silo comes back on its ports as a new incarnation and joins; the old one is recorded dead.
            fixture.SecondSilo = await fixture.Stack.StartSiloAgainAsync(killed);
            await WaitForAsync("the restarted silo to be Active and its killed incarnation Dead", async () =>
            {
                var rows = (await Membership.ReadAsync(fixture.Stack)).Where(r => r.Port == killed.SiloPort).ToList();
                return rows.Count(r => r.Status == "Active") == 1 && rows.Any(r => r.Status == "Dead")
                       && rows.Single(r => r.Status == "Active").Generation == rows.Max(r => r.Generation);
            });
            Assert.Equal(2, await Membership.CountActiveAsync(fixture.Stack));
            foreach (var (threadId, client) in threadIds.Zip(clients))
            {
                var answer = await _poster.PostUntilAnsweredAsync(client, user.AccessToken, threadId, Guid.NewGuid().ToString("N"), "after the restart");
                Assert.Equal(HttpStatusCode.OK, answer.Status);
            }
        }
        finally
        {
            await stop.CancelAsync();
            clients.ForEach(c => c.Dispose());
        }
    }

    private async Task<(User User, string ThreadId)> NewThreadAsync(string prefix)
    {
        var user = await new Api(fixture.Stack).SignUpAsync(prefix);
        return (user, await CreateThreadAsync(user, prefix));
    }

    /// <summary>A thread with one agent, so a turn is short and fifty queued ones fit the queue's wait.</summary>
    private async Task<string> CreateThreadAsync(User user, string title)
    {
        var api = new Api(fixture.Stack);
        var created = await api.ExpectAsync(
            await api.PostJsonAsync("/threads", user.AccessToken, new { title, agents = new[] { "planner" } }), HttpStatusCode.Created);
        return created.GetProperty("id").GetString()!;
    }

    private static IEnumerable<string?> UserContents(IEnumerable<JsonElement> messages) =>
        messages.Where(m => m.GetProperty("role").GetString() == "user").Select(m => m.GetProperty("content").GetString());

    private async Task WaitForAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {what} after 90 s{Environment.NewLine}{fixture.Stack.RecentLogs()}");
            await Task.Delay(500);
        }
    }
}
