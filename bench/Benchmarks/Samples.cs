namespace AgentSilo.Benchmarks;

/// <summary>Percentiles of latency samples.</summary>
internal static class Samples
{
    public static double Percentile(IEnumerable<double> samples, double quantile)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * quantile) - 1)];
    }
}
