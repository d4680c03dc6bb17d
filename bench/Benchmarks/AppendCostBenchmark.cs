using System.Diagnostics;
using AgentSilo.Access;
using AgentSilo.Threads;

namespace AgentSilo.Benchmarks;

/// <summary>
/// Measures what one post costs as a thread grows: the latency of PostAsync (user message, the offline agent team,
/// the replies' batch) at given thread lengths. If appends rewrote the conversation, the cost would grow with the
/// length; with one row per message it stays flat.
/// Each timed post on the long thread is paired with one on a short, fresh thread at the same moment, so a busy
/// machine slows both alike and the ratio of the two stays meaningful.
/// </summary>
internal sealed class AppendCostBenchmark(IGrainFactory grains, TextWriter output)
{
    private const int SamplesPerPoint = 60;

    /// <summary>The short thread is replaced after this many posts, so it stays within its first messages.</summary>
    private const int PostsPerShortThread = 4;

    private readonly Caller _caller = new("bench-" + Guid.NewGuid().ToString("N"), "bench", [AccessRoles.User],
        [AccessScopes.Read, AccessScopes.Write], "benchmark");

    public async Task<IReadOnlyList<AppendCostPoint>> RunAsync(IReadOnlyList<long> messageCounts)
    {
        var thread = await NewThreadAsync();
        var results = new List<AppendCostPoint>();
        var current = 0L;
        foreach (var target in messageCounts.Order())
        {
            // Grow the thread to the target without timing, then time posts there, each paired with a short thread's.
            while (current < target)
            {
                current = await PostAsync(thread, current);
            }

            var longSamples = new List<double>(SamplesPerPoint);
            var shortSamples = new List<double>(SamplesPerPoint);
            IThreadGrain? shortThread = null;
            var shortLast = 0L;
            for (var i = 0; i < SamplesPerPoint; i++)
            {
                if (i % PostsPerShortThread == 0)
                {
                    shortThread = await NewThreadAsync();
                    shortLast = 0;
                    await PostAsync(shortThread, 0);
                }

                (current, var longMs) = await TimedPostAsync(thread, current);
                (shortLast, var shortMs) = await TimedPostAsync(shortThread!, shortLast);
                longSamples.Add(longMs);
                shortSamples.Add(shortMs);
            }

            var point = AppendCostPoint.From(target, longSamples, shortSamples);
            results.Add(point);
            output.WriteLine(point);
        }

        return results;
    }

    private async Task<IThreadGrain> NewThreadAsync()
    {
        var thread = grains.GetGrain<IThreadGrain>(Guid.NewGuid().ToString("N"));
        await thread.CreateAsync(_caller, new NewThread("append cost", null, null));
        return thread;
    }

    private async Task<(long LastSeq, double Milliseconds)> TimedPostAsync(IThreadGrain thread, long seq)
    {
        var stopwatch = Stopwatch.StartNew();
        var last = await PostAsync(thread, seq);
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        return last > seq ? (last, elapsed) : throw new InvalidOperationException("A post stored nothing.");
    }

    private async Task<long> PostAsync(IThreadGrain thread, long seq)
    {
        var messages = await thread.PostAsync(_caller, $"benchmark message after seq {seq}", idempotencyKey: null);
        return messages[^1].Seq;
    }
}

/// <summary>Latency of posts at one thread length, and of the paired posts on short threads at the same moments.</summary>
internal sealed record AppendCostPoint(long AtMessage, double MedianMs, double P95Ms, double ShortThreadMedianMs)
{
    public double RatioToShortThread => MedianMs / ShortThreadMedianMs;

    public static AppendCostPoint From(long atMessage, List<double> samples, List<double> shortThreadSamples) =>
        new(atMessage, Samples.Percentile(samples, 0.5), Samples.Percentile(samples, 0.95), Samples.Percentile(shortThreadSamples, 0.5));

    public override string ToString() =>
        $"append at message {AtMessage,7}: median {MedianMs,7:F2} ms, p95 {P95Ms,7:F2} ms | " +
        $"short thread at the same moments: median {ShortThreadMedianMs,7:F2} ms | ratio {RatioToShortThread:F2}x";
}
