using System.Collections.Concurrent;
using System.Diagnostics;
using AgentSilo.Access;
using AgentSilo.Grains.Agents;
using AgentSilo.Grains.Storage;
using AgentSilo.Grains.Threads;
using AgentSilo.Threads;
using Xunit.Abstractions;

namespace AgentSilo.Grains.Tests;

/// <summary>
/// Issue 4, part 5: threads of 1,000 users, created through the thread grains, paged through by an admin, and forgotten
/// by the silo once idle. A cluster of its own, so the admin's listing holds exactly these threads and the idle time can
/// be short. <c>dotnet test</c> creates 10,000 (10 per user); <c>AGENTSILO_SCALE_THREADS=100000</c> asks for the issue's
/// 100,000, which Azurite cannot serve in useful time: it answers every table query, Orleans' read of one grain's state
/// included, by scanning the whole table, so each activation costs time in proportion to the threads stored
/// (docs/benchmarks.md, "Scale on Azurite"). What does not depend on the emulator is checked here instead: creating a
/// thread passes through no grain that every thread shares, and each page is one bounded query of the index.
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    private const int Users = 1_000;
    private const int CreationParallelism = 64;

    private static readonly int ThreadsPerUser = Math.Max(1, ThreadCount() / Users);

    /// <summary>The API's default page size (docs/API.md, "Lists").</summary>
    private const int PageSize = 20;

    /// <summary>The shortest idle time the silo accepts; Orleans then collects every 15 s.</summary>
    private const int IdleSeconds = 30;

    /// <summary>"Near zero": what may still be active when the silo has collected the idle threads.</summary>
    private const int NearZero = 50;

    [Fact]
    public async Task An_admin_pages_through_every_thread_of_1000_users_seeing_each_once_and_idle_threads_deactivate()
    {
        await using var cluster = await AzuriteTestCluster.StartAsync(1, new Dictionary<string, string?>
        {
            ["Activations:IdleSeconds"] = IdleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, inMemoryAzurite: true);
        var grains = cluster.Client;
        var users = Enumerable.Range(0, Users).Select(_ => Callers.NewUser()).ToArray();

        var created = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Users * ThreadsPerUser),
            new ParallelOptions { MaxDegreeOfParallelism = CreationParallelism },
            async (i, _) =>
            {
                var owner = users[i % Users];
                var view = await grains.GetGrain<IThreadGrain>(Callers.NewId()).CreateAsync(owner, new NewThread($"thread {i}", null, null));
                created[view.Id] = owner.UserId;
            });
        var creation = clock.Elapsed;
        output.WriteLine($"created {created.Count:N0} threads in {creation.TotalSeconds:F0} s ({created.Count / creation.TotalSeconds:F0}/s); " +
            $"thread activations now {await ActivationsAsync<ThreadGrain>(grains)}");

        // No grain that every creation passes through: neither the agent profiles (the default team is built-in) nor
        // the catalog was activated, so thread creation scales with the silos, not with one activation.
        Assert.Equal(0, await ActivationsAsync<AgentProfileGrain>(grains));
        Assert.Equal(0, await ActivationsAsync<ThreadCatalogGrain>(grains));

        var admin = Callers.NewAdmin("scale test");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? cursor = null;
        var pages = 0;
        using var indexQueries = new TableRequestRecorder(cluster.StorageConnectionString, StorageTables.ThreadIndex);
        clock.Restart();
        do
        {
            var page = await grains.GetGrain<IThreadCatalogGrain>(0).ListAllAsync(admin, null, cursor, PageSize);
            Assert.InRange(page.Items.Length, 0, PageSize);
            foreach (var thread in page.Items)
            {
                seen[thread.Id] = seen.GetValueOrDefault(thread.Id) + 1;
                Assert.Equal(created[thread.Id], thread.OwnerId);
            }

            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);
        var listing = clock.Elapsed;
        output.WriteLine($"listed {seen.Count:N0} threads in {pages:N0} pages of {PageSize} in {listing.TotalSeconds:F0} s " +
            $"({pages / listing.TotalSeconds:F1} pages/s); thread activations now {await ActivationsAsync<ThreadGrain>(grains)}");

        // No full scan per page: each page asked storage one query of the index for at most a page of rows, resumed
        // from the cursor (Azure answers such a query by seeking, however many rows precede it).
        var queries = indexQueries.Requests;
        Assert.Equal(pages, queries.Count);
        Assert.All(queries, query => Assert.Equal($"GET {StorageTables.ThreadIndex} top={PageSize}", query.Shape));

        Assert.Equal(Users * ThreadsPerUser, seen.Count);
        Assert.All(seen, pair => Assert.Equal(1, pair.Value));
        Assert.Empty(created.Keys.Except(seen.Keys));

        // Idle threads leave memory: after the idle time and a collection round or two, (almost) none is active.
        // The deadline only bounds the wait; what is asserted is the count.
        clock.Restart();
        var active = await ActivationsAsync<ThreadGrain>(grains);
        var deadline = TimeSpan.FromSeconds(IdleSeconds * 6);
        while (active > NearZero && clock.Elapsed < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            active = await ActivationsAsync<ThreadGrain>(grains);
        }

        output.WriteLine($"{active} thread activations {clock.Elapsed.TotalSeconds:F0} s after the listing (idle time {IdleSeconds} s)");
        Assert.InRange(active, 0, NearZero);
    }

    private static int ThreadCount() =>
        int.TryParse(Environment.GetEnvironmentVariable("AGENTSILO_SCALE_THREADS"), out var count) && count > 0 ? count : 10_000;

    private static async Task<int> ActivationsAsync<TGrain>(IGrainFactory grains)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        // Orleans names a grain type "<class full name>,<assembly>".
        return statistics.Where(s => s.GrainType.StartsWith(typeof(TGrain).FullName + ",", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}
