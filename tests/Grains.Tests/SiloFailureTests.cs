using System.Collections.Concurrent;
using AgentSilo.Access;
using AgentSilo.Threads;
using Orleans.Runtime;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// A silo of three dies in the middle of a burst of posts. Grain state is on Azurite (memory storage would die with
/// the silo), so the threads it hosted come back on the survivors with everything that was acknowledged.
/// </summary>
public sealed class SiloFailureTests(ITestOutputHelper output)
{
    private const int Threads = 12;

    /// <summary>This many threads are moved onto the silo that dies, so the test always kills some threads' host.</summary>
    private const int ThreadsOnDoomedSilo = 4;

    /// <summary>What a caller may see while the cluster notices the dead silo; the API answers each with 503.</summary>
    private static readonly Type[] RetryableFailures =
    [
        typeof(SiloUnavailableException), typeof(OrleansMessageRejectionException), typeof(TimeoutException),
        typeof(ServiceUnavailableException), typeof(Orleans.Runtime.Messaging.ConnectionFailedException),
    ];

    // Passed in about 36 s in each of three runs, but once, on a machine with a load average near 30, it ran past a
    // 4-minute hang limit: calls to the dead silo wait out PostAsync's 2-minute response timeout until membership
    // declares the silo dead. Issue 4 ("never a hang past the request timeout") makes that bounded; until then it
    // must not run where a hang would cost CI its whole time.
    [Fact(Skip = "Issue 4: bound the wait for calls to a dead silo first; can outlast a CI time limit on a loaded machine.")]
    public async Task A_silo_killed_mid_burst_loses_no_acknowledged_message_and_its_threads_come_back_on_the_survivors()
    {
        await using var testCluster = await AzuriteTestCluster.StartAsync(
            3, new Dictionary<string, string?> { ["Quota:ModelTokensPerDay"] = "1000000000" });
        var cluster = testCluster.Cluster;

        var owner = Callers.NewUser();
        var threads = new List<IThreadGrain>();
        for (var i = 0; i < Threads; i++)
        {
            var thread = cluster.Client.GetGrain<IThreadGrain>(Callers.NewId());
            await thread.CreateAsync(owner, new NewThread($"thread {i}", null, null));
            threads.Add(thread);
        }

        var doomed = cluster.Silos[1];
        foreach (var thread in threads.Take(ThreadsOnDoomedSilo))
        {
            await thread.GetAsync(owner);
            await cluster.MigrateAsync(thread, doomed.SiloAddress);
        }

        await WaitUntilHostedOnAsync(cluster, threads.Take(ThreadsOnDoomedSilo), doomed.SiloAddress);

        // One client per thread posts on and on; the second silo dies while they do.
        var acknowledged = new ConcurrentBag<MessageView>();
        var failures = new ConcurrentBag<Exception>();
        using var stop = new CancellationTokenSource();
        var posters = threads.Select((thread, t) => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    foreach (var message in await thread.PostAsync(owner, $"thread {t} post {i}", idempotencyKey: null))
                    {
                        acknowledged.Add(message);
                    }
                }
                catch (Exception e)
                {
                    failures.Add(e);
                    await Task.Delay(100);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        var acknowledgedBeforeKill = acknowledged.Count;
        await cluster.KillSiloAsync(doomed);
        await Task.Delay(TimeSpan.FromSeconds(15));
        await stop.CancelAsync();
        await Task.WhenAll(posters);

        output.WriteLine(
            $"{acknowledgedBeforeKill} messages acknowledged before the kill, {acknowledged.Count} in all; failures: " +
            string.Join(", ", failures.GroupBy(e => e.GetType().Name).Select(g => $"{g.Count()} {g.Key}")));
        Assert.True(acknowledgedBeforeKill > 0, "nothing was posted before the kill");
        Assert.All(failures, e => Assert.Contains(e.GetType(), RetryableFailures));

        // Every thread answers again, on a surviving silo, and holds every acknowledged message exactly once.
        foreach (var thread in threads)
        {
            await PostUntilAcceptedAsync(thread, owner);
            var stored = await ReadAllAsync(thread, owner);
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored.Select(m => m.Seq));
            var storedIds = stored.Select(m => m.Id).ToHashSet();
            var threadId = thread.GetPrimaryKeyString();
            Assert.All(acknowledged.Where(m => m.ThreadId == threadId), m => Assert.Contains(m.Id, storedIds));
            var userContents = stored.Where(m => m.Role == MessageRoles.User).Select(m => m.Content).ToList();
            Assert.Equal(userContents.Count, userContents.Distinct().Count());
        }

        // The dead silo's place is taken by a new one, and the cluster keeps serving.
        await cluster.StartAdditionalSiloAsync();
        await cluster.WaitForLivenessToStabilizeAsync();
        Assert.Equal(3, cluster.GetActiveSilos().Count());
        await PostUntilAcceptedAsync(threads[0], owner);
    }

    private static async Task WaitUntilHostedOnAsync(InProcessTestCluster cluster, IEnumerable<IThreadGrain> threads, SiloAddress silo)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var thread in threads)
        {
            while (!(cluster.TryGetGrainContext(thread.GetGrainId(), out var context) && silo.Equals(context?.Address?.SiloAddress)))
            {
                Assert.True(DateTime.UtcNow < deadline, "a thread did not move to the silo that is about to die");
                await Task.Delay(100);
            }
        }
    }

    private static async Task PostUntilAcceptedAsync(IThreadGrain thread, Caller owner)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                await thread.PostAsync(owner, "after the failure " + Guid.NewGuid().ToString("N"), idempotencyKey: null);
                return;
            }
            catch (Exception e) when (RetryableFailures.Contains(e.GetType()) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static async Task<List<MessageView>> ReadAllAsync(IThreadGrain thread, Caller owner)
    {
        var all = new List<MessageView>();
        while (true)
        {
            var page = await thread.GetMessagesAsync(owner, all.Count == 0 ? 0 : all[^1].Seq, 100);
            all.AddRange(page.Items);
            if (!page.HasMore)
            {
                return all;
            }
        }
    }
}
