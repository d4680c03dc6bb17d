using System.Collections.Concurrent;
using System.Diagnostics;
using AgentSilo.Testing;

namespace AgentSilo.Benchmarks;

/// <summary>
/// Posts per second through the real HTTP API: the built silo and API as processes on a private Azurite (the same
/// <see cref="ServiceStack"/> the end-to-end tests start), each client a user of its own with a thread of its own,
/// signed in with a real token, posting one message after another for a fixed time.
/// </summary>
internal sealed class ThroughputBenchmark(ServiceStack stack, TextWriter output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);

    public async Task<ThroughputPoint> RunAsync(int clients)
    {
        var api = new Api(stack);
        var participants = new List<(string Token, string ThreadId)>();
        for (var i = 0; i < clients; i++)
        {
            var user = await api.SignUpAsync("bench");
            var thread = await api.CreateThreadAsync(user.AccessToken, "throughput");
            participants.Add((user.AccessToken, thread.GetProperty("id").GetString()!));
        }

        // Every client posts without pause; only posts that start after the warm-up and end within the window count.
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(participants.Select(p => Task.Run(async () =>
        {
            while (clock.Elapsed < WarmUp + Duration)
            {
                var start = clock.Elapsed;
                await api.PostMessageAsync(p.Token, p.ThreadId, $"benchmark post at {start.TotalMilliseconds:F0} ms");
                var end = clock.Elapsed;
                if (start >= WarmUp && end <= WarmUp + Duration)
                {
                    latencies.Add((end - start).TotalMilliseconds);
                }
            }
        })));

        var point = new ThroughputPoint(
            clients, latencies.Count / Duration.TotalSeconds, Samples.Percentile(latencies, 0.5), Samples.Percentile(latencies, 0.95));
        output.WriteLine(point);
        return point;
    }
}

internal sealed record ThroughputPoint(int Clients, double PostsPerSecond, double MedianMs, double P95Ms)
{
    public override string ToString() =>
        $"{Clients,2} concurrent clients over HTTP: {PostsPerSecond,6:F1} posts/s, median {MedianMs,7:F2} ms, p95 {P95Ms,7:F2} ms";
}
