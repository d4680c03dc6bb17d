using AgentSilo.Benchmarks;
using AgentSilo.Silo;
using AgentSilo.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// dotnet run -c Release --project bench/Benchmarks -- [message counts...]
// Starts a private Azurite and a real silo in this process, then runs the benchmarks against them.
var counts = args.Length > 0 ? args.Select(long.Parse).ToArray() : [10L, 1_000L, 10_000L];

await using var azurite = await AzuriteServer.StartAsync();
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

Console.WriteLine($"AgentSilo append-cost benchmark: {Environment.ProcessorCount} cores, .NET {Environment.Version}, Azurite on loopback");
var grains = host.Services.GetRequiredService<IGrainFactory>();
var points = await new AppendCostBenchmark(grains, Console.Out).RunAsync(counts);
var first = points[0];
var last = points[^1];
Console.WriteLine(
    $"median at {last.AtMessage} / median at {first.AtMessage}: {last.MedianMs / first.MedianMs:F2}x; " +
    $"against short threads at the same moments: {first.RatioToShortThread:F2}x at {first.AtMessage}, " +
    $"{last.RatioToShortThread:F2}x at {last.AtMessage}");

await host.StopAsync();
