using System.Diagnostics;
using AgentSilo.Benchmarks;
using AgentSilo.Silo;
using AgentSilo.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// dotnet run -c Release --project bench/Benchmarks -- [message counts...] [--active-threads=N]
// 1. Append latency at each thread length and 2. silo memory with 10,000 active threads, on a private Azurite and a
// real silo in this process; 3. posts per second with 1 and 50 clients through the real HTTP API (silo and API as
// processes). Writes docs/benchmarks-append.svg.
const string ActiveThreadsOption = "--active-threads=";
var numbers = args.Where(a => !a.StartsWith(ActiveThreadsOption, StringComparison.Ordinal)).Select(long.Parse).ToArray();
var counts = numbers.Length > 0 ? numbers : [10L, 1_000L, 10_000L, 100_000L];
var activeThreads = args.Where(a => a.StartsWith(ActiveThreadsOption, StringComparison.Ordinal))
    .Select(a => int.Parse(a[ActiveThreadsOption.Length..])).DefaultIfEmpty(MemoryBenchmark.DefaultThreads).Last();
var run = Stopwatch.StartNew();
Console.WriteLine($"AgentSilo benchmarks: {Environment.ProcessorCount} cores, .NET {Environment.Version}, Azurite on loopback, " +
    $"load average at start {LoadAverage()}");

MemoryResult memory;
IReadOnlyList<AppendCostPoint> points;
var rates = new List<ThroughputPoint>();
await using (var azurite = await AzuriteServer.StartInMemoryAsync())
{
    var ports = FreePorts.Take(2);
    var builder = Host.CreateApplicationBuilder();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ConnectionStrings:Storage"] = azurite.ConnectionString,
        ["Orleans:ClusterId"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
        ["Orleans:SiloPort"] = ports[0].ToString(),
        ["Orleans:GatewayPort"] = ports[1].ToString(),
        ["Logging:LogLevel:Default"] = "Warning",
        // The benchmark posts far more than a user's daily model budget; the budget check itself stays in the path.
        ["Quota:ModelTokensPerDay"] = "1000000000000",
    });
    builder.AddAgentSiloSilo();
    using var host = builder.Build();
    await host.StartAsync();
    var grains = host.Services.GetRequiredService<IGrainFactory>();

    // Append cost first: Azurite scans a whole table for a range query, so rows the memory benchmark adds would slow it.
    points = await new AppendCostBenchmark(grains, Console.Out).RunAsync(counts);
    memory = await new MemoryBenchmark(grains, activeThreads, Console.Out).RunAsync();
    await host.StopAsync();
}

var first = points[0];
var last = points[^1];
Console.WriteLine(
    $"median at {last.AtMessage} / median at {first.AtMessage}: {last.MedianMs / first.MedianMs:F2}x; " +
    $"against short threads at the same moments: {first.RatioToShortThread:F2}x at {first.AtMessage}, " +
    $"{last.RatioToShortThread:F2}x at {last.AtMessage}");
var plot = RepositoryPaths.Combine("docs", "benchmarks-append.svg");
await File.WriteAllTextAsync(plot, AppendCostPlot.Render(points, $"Append latency against thread length ({DateTime.UtcNow:yyyy-MM-dd})"));
Console.WriteLine($"plot written to {plot}; load average {LoadAverage()}");

await using (var stack = await ServiceStack.StartAsync("bench", new Dictionary<string, string>
{
    // Every client posts as fast as it can: the per-user request bucket and model budget must not be what is measured.
    ["Quota__Capacity"] = "1000000",
    ["Quota__RefillPerSecond"] = "100000",
    ["Quota__ModelTokensPerDay"] = "1000000000000",
    ["Logging__LogLevel__Default"] = "Warning",
}))
{
    var throughput = new ThroughputBenchmark(stack, Console.Out);
    foreach (var clients in new[] { 1, 50 })
    {
        rates.Add(await throughput.RunAsync(clients));
    }
}

Console.WriteLine($"done in {run.Elapsed.TotalMinutes:F1} min; load average {LoadAverage()}. Summary:");
foreach (var line in points.Select(p => p.ToString()).Append(memory.ToString()).Concat(rates.Select(r => r.ToString())))
{
    Console.WriteLine("  " + line);
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
