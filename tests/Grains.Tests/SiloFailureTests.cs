using System.Collections.Concurrent;
using System.Diagnostics;
using AgentSilo.Access;
using AgentSilo.Threads;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// A silo of three dies in the middle of a burst of posts. Grain state is on Azurite (memory storage would die with
/// the silo), so the threads it hosted come back on the survivors with everything that was acknowledged. Every call
/// carries the bound a client is promised (a post answers within its 2-minute response timeout, anything else within
/// Orleans' 30 s, each with a few seconds' grace for Orleans' timer), so a call that hangs on the dead silo fails the
/// test then instead of holding CI up. Most calls in flight on the dead silo fail within a second; now and then one
/// (a post that silo was running when it died) waits out its whole timeout and fails with a TimeoutException.
/// </summary>
[Collection(MultiSiloClusterCollection.Name)]
public sealed class SiloFailureTests(MultiSiloClusterFixture fixture, ITestOutputHelper output)
{
    private const int Threads = 12;

    /// <summary>This many threads are moved onto the silo that dies, so the test always kills some threads' host.</summary>
    private const int ThreadsOnDoomedSilo = 4;

    /// <summary>IThreadGrain.PostAsync's [ResponseTimeout]: the longest a post may take, README "Failures and races".</summary>
    private static readonly TimeSpan PostBound = TimeSpan.FromMinutes(2);

    /// <summary>Orleans' default response timeout, which every other grain call has.</summary>
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(30);

    /// <summary>What a caller may see while the cluster notices the dead silo; the API answers each with 503.</summary>
    private static readonly Type[] RetryableFailures =
    [
        typeof(SiloUnavailableException), typeof(OrleansMessageRejectionException), typeof(TimeoutException),
        typeof(ServiceUnavailableException), typeof(Orleans.Runtime.Messaging.ConnectionFailedException),
    ];

    /// <summary>How much later than its timeout a call may end: Orleans checks response timeouts about once a second.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly ConcurrentBag<TimeSpan> _failureTimes = [];

    [Fact]
    public async Task A_silo_killed_mid_burst_loses_no_acknowledged_message_and_its_threads_come_back_on_the_survivors()
    {
        var cluster = fixture.Cluster;
        var owner = Callers.NewUser();
        var doomed = cluster.Silos[^1];
        var threads = new List<IThreadGrain>();
        for (var i = 0; i < Threads; i++)
        {
            // The first threads are placed on the silo that will die (a placement hint), so the kill always hits some.
            var thread = cluster.Client.GetGrain<IThreadGrain>(Callers.NewId());
            if (i < ThreadsOnDoomedSilo)
            {
                RequestContext.Set(IPlacementDirector.PlacementHintKey, doomed.SiloAddress);
            }

            try
            {
                await BoundedAsync(thread.CreateAsync(owner, new NewThread($"thread {i}", null, null)), CallBound, "create");
            }
            finally
            {
                RequestContext.Remove(IPlacementDirector.PlacementHintKey);
            }

            threads.Add(thread);
        }

        await WaitUntilHostedOnAsync(cluster, threads.Take(ThreadsOnDoomedSilo), doomed.SiloAddress);

        // One client per thread posts on and on; a silo dies while they do.
        var acknowledged = new ConcurrentBag<MessageView>();
        var failures = new ConcurrentBag<Exception>();
        using var stop = new CancellationTokenSource();
        var posters = threads.Select((thread, t) => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    foreach (var message in await BoundedAsync(thread.PostAsync(owner, $"thread {t} post {i}", null), PostBound, "post"))
                    {
                        acknowledged.Add(message);
                    }
                }
                catch (Exception e) when (e is not CallHungException)
                {
                    failures.Add(e);
                    await Task.Delay(100);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        var acknowledgedBeforeKill = acknowledged.Count;
        output.WriteLine($"kill at {DateTime.UtcNow:HH:mm:ss.fff}");
        await cluster.KillSiloAsync(doomed);
        output.WriteLine($"killed at {DateTime.UtcNow:HH:mm:ss.fff}");
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
            var stored = await BoundedAsync(StoredThread.ReadAllAsync(thread, owner), CallBound, "read");
            var threadId = thread.GetPrimaryKeyString();
            StoredThread.AssertHoldsEachOnce(stored, acknowledged.Where(m => m.ThreadId == threadId));
            Assert.True(cluster.TryGetGrainContext(thread.GetGrainId(), out var context), "the thread is not active anywhere");
            Assert.NotEqual(doomed.SiloAddress, context!.Address.SiloAddress);
        }

        // The dead silo's place is taken by a new one, and the cluster keeps serving.
        await BoundedAsync(cluster.StartAdditionalSiloAsync(), CallBound, "start a silo");
        await cluster.WaitForLivenessToStabilizeAsync();
        Assert.Equal(MultiSiloClusterFixture.Silos, cluster.GetActiveSilos().Count());
        await PostUntilAcceptedAsync(threads[0], owner);

        output.WriteLine(
            $"{_failureTimes.Count} calls failed; the slowest failure took {_failureTimes.DefaultIfEmpty().Max().TotalSeconds:0.0} s " +
            $"(bound {PostBound.TotalSeconds:0} s)");
    }

    /// <summary>Awaits <paramref name="call"/> for at most <paramref name="bound"/> and <see cref="Grace"/>; a call still running then fails the test.</summary>
    private async Task<T> BoundedAsync<T>(Task<T> call, TimeSpan bound, string what)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTime.UtcNow;
        if (await Task.WhenAny(call, Task.Delay(bound + Grace)) != call)
        {
            throw new CallHungException($"a {what} call started at {started:HH:mm:ss.fff} was still running after {(bound + Grace).TotalSeconds:0} s");
        }

        try
        {
            return await call;
        }
        catch
        {
            _failureTimes.Add(clock.Elapsed);
            throw;
        }
    }

    private Task BoundedAsync(Task call, TimeSpan bound, string what) => BoundedAsync(CompletedAsync(call), bound, what);

    private static async Task<bool> CompletedAsync(Task call)
    {
        await call;
        return true;
    }

    private static async Task WaitUntilHostedOnAsync(InProcessTestCluster cluster, IEnumerable<IThreadGrain> threads, SiloAddress silo)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var thread in threads)
        {
            while (!(cluster.TryGetGrainContext(thread.GetGrainId(), out var context) && silo.Equals(context?.Address?.SiloAddress)))
            {
                Assert.True(DateTime.UtcNow < deadline, "a thread is not hosted on the silo that is about to die");
                await Task.Delay(100);
            }
        }
    }

    private async Task PostUntilAcceptedAsync(IThreadGrain thread, Caller owner)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                await BoundedAsync(thread.PostAsync(owner, "after the failure " + Guid.NewGuid().ToString("N"), null), PostBound, "post");
                return;
            }
            catch (Exception e) when (RetryableFailures.Contains(e.GetType()) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private sealed class CallHungException(string message) : Exception(message);
}
