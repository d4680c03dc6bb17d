using System.Diagnostics;
using AgentSilo.Access;
using AgentSilo.Threads;

namespace AgentSilo.Benchmarks;

/// <summary>
/// What active threads cost the silo's memory: the managed heap after a full, compacting collection and the process's
/// working set, before and after <paramref name="threads"/> threads (default 10,000) are created and posted to once (so each activation
/// holds its state, its turn line and its agents' history read). The silo runs in this process, so the figures are the
/// silo's (plus this benchmark's small bookkeeping); Azurite is a process of its own.
/// </summary>
internal sealed class MemoryBenchmark(IGrainFactory grains, int threads, TextWriter output)
{
    public const int DefaultThreads = 10_000;

    private const int Parallelism = 50;

    private readonly Caller _caller = new("bench-mem-" + Guid.NewGuid().ToString("N"), "bench", [AccessRoles.User],
        [AccessScopes.Read, AccessScopes.Write], "benchmark");

    public async Task<MemoryResult> RunAsync()
    {
        var activeBefore = await ActiveThreadsAsync();
        var before = MemorySnapshot.Take();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, threads), new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, _) =>
        {
            var thread = grains.GetGrain<IThreadGrain>(Guid.NewGuid().ToString("N"));
            await thread.CreateAsync(_caller, new NewThread($"memory {i}", null, null));
            await thread.PostAsync(_caller, $"hello from thread {i}", idempotencyKey: null);
        });
        var elapsed = clock.Elapsed;
        var active = await ActiveThreadsAsync();
        var after = MemorySnapshot.Take();
        var result = new MemoryResult(threads, activeBefore, active, before, after, elapsed);
        output.WriteLine(result);
        return result;
    }

    private async Task<int> ActiveThreadsAsync()
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        // Orleans names a grain type "<class full name>,<assembly>".
        return statistics.Where(s => s.GrainType.StartsWith(typeof(AgentSilo.Grains.Threads.ThreadGrain).FullName + ",", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}

internal sealed record MemorySnapshot(long ManagedHeapBytes, long WorkingSetBytes)
{
    public static MemorySnapshot Take()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new MemorySnapshot(heap, process.WorkingSet64);
    }
}

internal sealed record MemoryResult(int Threads, int ActiveBefore, int ActiveAfter, MemorySnapshot Before, MemorySnapshot After, TimeSpan Elapsed)
{
    public double HeapBytesPerThread => (After.ManagedHeapBytes - Before.ManagedHeapBytes) / (double)Threads;

    public double WorkingSetBytesPerThread => (After.WorkingSetBytes - Before.WorkingSetBytes) / (double)Threads;

    public override string ToString() =>
        $"memory with {Threads:N0} threads created and posted to ({ActiveBefore:N0} -> {ActiveAfter:N0} thread activations, {Elapsed.TotalSeconds:F0} s): " +
        $"managed heap {Mb(Before.ManagedHeapBytes)} -> {Mb(After.ManagedHeapBytes)} ({HeapBytesPerThread / 1024:F1} KiB per thread), " +
        $"working set {Mb(Before.WorkingSetBytes)} -> {Mb(After.WorkingSetBytes)} ({WorkingSetBytesPerThread / 1024:F1} KiB per thread)";

    public static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):F0} MiB";
}
