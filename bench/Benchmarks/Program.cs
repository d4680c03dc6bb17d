using System.Diagnostics;
using AgentSilo.Benchmarks;
using AgentSilo.Testing;

// dotnet run -c Release --project bench/Benchmarks -- [append|memory|throughput ...] [message counts ...] [--active-threads=N]
// 1. append: latency of a post at each thread length (default 10, 1,000, 10,000 and 100,000 messages), written as
//    docs/benchmarks-append.svg; 2. memory: the silo's memory with N active threads (default 10,000); both on a private
//    Azurite and a real silo in this process. 3. throughput: posts per second with 1 and 50 clients through the real
//    HTTP API (silo and API as processes). No name runs all three, each on an Azurite of its own.
const string ActiveThreadsOption = "--active-threads=";
string[] names = ["append", "memory", "throughput"];
var chosen = args.Where(names.Contains).ToHashSet();
var runs = chosen.Count > 0 ? chosen : [.. names];
var numbers = args.Where(a => !names.Contains(a) && !a.StartsWith(ActiveThreadsOption, StringComparison.Ordinal)).Select(long.Parse).ToArray();
var counts = numbers.Length > 0 ? numbers : [10L, 1_000L, 10_000L, 100_000L];
var activeThreads = args.Where(a => a.StartsWith(ActiveThreadsOption, StringComparison.Ordinal))
    .Select(a => int.Parse(a[ActiveThreadsOption.Length..])).DefaultIfEmpty(MemoryBenchmark.DefaultThreads).Last();

var run = Stopwatch.StartNew();
Console.WriteLine($"AgentSilo benchmarks: {Environment.ProcessorCount} cores, .NET {Environment.Version}, Azurite on loopback, " +
    $"load average at start {LoadAverage()}");
var summary = new List<string>();

if (runs.Contains("append"))
{
    await using var silo = await BenchmarkSilo.StartAsync(new Dictionary<string, string?>());
    var points = await new AppendCostBenchmark(silo.Grains, Console.Out).RunAsync(counts);
    var (first, last) = (points[0], points[^1]);
    summary.AddRange(points.Select(p => p.ToString()));
    summary.Add(
        $"median at {last.AtMessage} / median at {first.AtMessage}: {last.MedianMs / first.MedianMs:F2}x; " +
        $"against short threads at the same moments: {first.RatioToShortThread:F2}x at {first.AtMessage}, " +
        $"{last.RatioToShortThread:F2}x at {last.AtMessage}");
    var plot = RepositoryPaths.Combine("docs", "benchmarks-append.svg");
    await File.WriteAllTextAsync(plot, AppendCostPlot.Render(points, $"Append latency against thread length ({DateTime.UtcNow:yyyy-MM-dd})"));
    Console.WriteLine($"plot written to {plot}; load average {LoadAverage()}");
}

if (runs.Contains("memory"))
{
    // Threads must stay active for the whole run to be counted: no idle deactivation within the hour.
    await using var silo = await BenchmarkSilo.StartAsync(new Dictionary<string, string?> { ["Activations:IdleSeconds"] = "3600" });
    summary.Add((await new MemoryBenchmark(silo.Grains, activeThreads, Console.Out).RunAsync()).ToString());
}

if (runs.Contains("throughput"))
{
    await using var stack = await ServiceStack.StartAsync("bench", new Dictionary<string, string>
    {
        // Every client posts as fast as it can: the per-user request bucket and model budget must not be what is measured.
        ["Quota__Capacity"] = "1000000",
        ["Quota__RefillPerSecond"] = "100000",
        ["Quota__ModelTokensPerDay"] = "1000000000000",
        ["Logging__LogLevel__Default"] = "Warning",
    });
    var throughput = new ThroughputBenchmark(stack, Console.Out);
    foreach (var clients in new[] { 1, 50 })
    {
        summary.Add((await throughput.RunAsync(clients)).ToString());
    }
}

Console.WriteLine($"done in {run.Elapsed.TotalMinutes:F1} min; load average {LoadAverage()}. Summary:");
summary.ForEach(line => Console.WriteLine("  " + line));

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
