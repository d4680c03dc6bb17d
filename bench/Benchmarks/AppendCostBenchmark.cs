using System.Diagnostics;
using AgentSilo.Access;
using AgentSilo.Threads;

namespace AgentSilo.Benchmarks;

/// <summary>
/// Measures what one post costs as a thread grows: the latency of PostAsync (user message, the offline
/// agent team, the replies' batch) sampled around given thread lengths. If appends rewrote the
/// conversation, the late samples would grow with the length; with one row per message they stay flat.
/// </summary>
internal sealed class AppendCostBenchmark(IGrainFactory grains, TextWriter output)
{
    private const int SamplesPerPoint = 50;

    public async Task<IReadOnlyList<AppendCostPoint>> RunAsync(IReadOnlyList<long> messageCounts)
    {
        var caller = new Caller("bench-" + Guid.NewGuid().ToString("N"), "bench", [AccessRoles.User],
            [AccessScopes.Read, AccessScopes.Write], "benchmark");
        var thread = grains.GetGrain<IThreadGrain>(Guid.NewGuid().ToString("N"));
        await thread.CreateAsync(caller, new NewThread("append cost", null, null));

        var results = new List<AppendCostPoint>();
        var current = 0L;
        foreach (var target in messageCounts.Order())
        {
            // Grow the thread to just below the target without timing, then time the posts around it.
            while (current < target)
            {
                current = await PostAsync(thread, caller, current);
            }

            var samples = new List<double>(SamplesPerPoint);
            for (var i = 0; i < SamplesPerPoint; i++)
            {
                var stopwatch = Stopwatch.StartNew();
                var before = current;
                current = await PostAsync(thread, caller, current);
                samples.Add(stopwatch.Elapsed.TotalMilliseconds);
                if (current <= before)
                {
                    throw new InvalidOperationException("A post stored nothing.");
                }
            }

            var point = AppendCostPoint.From(target, samples);
            results.Add(point);
            output.WriteLine(point);
        }

        return results;
    }

    private static async Task<long> PostAsync(IThreadGrain thread, Caller caller, long seq)
    {
        var messages = await thread.PostAsync(caller, $"benchmark message after seq {seq}", idempotencyKey: null);
        return messages[^1].Seq;
    }
}

internal sealed record AppendCostPoint(long AtMessage, double MedianMs, double P95Ms, double MeanMs)
{
    public static AppendCostPoint From(long atMessage, List<double> samples)
    {
        samples.Sort();
        return new AppendCostPoint(
            atMessage,
            samples[samples.Count / 2],
            samples[(int)Math.Ceiling(samples.Count * 0.95) - 1],
            samples.Average());
    }

    public override string ToString() =>
        $"append at message {AtMessage,7}: median {MedianMs,7:F2} ms, p95 {P95Ms,7:F2} ms, mean {MeanMs,7:F2} ms";
}
