using System.Globalization;
using System.Text;

namespace AgentSilo.Benchmarks;

/// <summary>
/// Writes the append-cost figures as a small SVG line chart: post latency (median and p95 on the long thread, median
/// on the paired short threads) against the thread's length on a logarithmic axis.
/// </summary>
internal static class AppendCostPlot
{
    private const double Width = 640;
    private const double Height = 380;
    private const double Left = 70;
    private const double Right = 160;
    private const double Top = 40;
    private const double Bottom = 60;

    public static string Render(IReadOnlyList<AppendCostPoint> points, string caption)
    {
        var minX = Math.Floor(Math.Log10(points.Min(p => p.AtMessage)));
        var maxX = Math.Max(minX + 1, Math.Ceiling(Math.Log10(points.Max(p => p.AtMessage))));
        var maxY = NiceCeiling(points.Max(p => Math.Max(p.P95Ms, Math.Max(p.MedianMs, p.ShortThreadMedianMs))));
        double X(long messages) => Left + ((Math.Log10(messages) - minX) / (maxX - minX) * (Width - Left - Right));
        double Y(double ms) => Height - Bottom - (ms / maxY * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Invariant($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"22\" font-size=\"14\">{Escape(caption)}</text>\n"));

        // Axes, decades on x, five steps on y, with grid lines.
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(0)}\" x2=\"{Width - Right}\" y2=\"{Y(0)}\" stroke=\"black\"/>\n"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Y(0)}\" stroke=\"black\"/>\n"));
        for (var decade = minX; decade <= maxX; decade++)
        {
            var x = X((long)Math.Pow(10, decade));
            svg.Append(Invariant($"<line x1=\"{x:F1}\" y1=\"{Top}\" x2=\"{x:F1}\" y2=\"{Y(0)}\" stroke=\"#ddd\"/>\n"));
            svg.Append(Invariant($"<text x=\"{x:F1}\" y=\"{Y(0) + 18}\" text-anchor=\"middle\">{Math.Pow(10, decade):N0}</text>\n"));
        }

        for (var step = 0; step <= 5; step++)
        {
            var ms = maxY * step / 5;
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(ms):F1}\" x2=\"{Width - Right}\" y2=\"{Y(ms):F1}\" stroke=\"#eee\"/>\n"));
            svg.Append(Invariant($"<text x=\"{Left - 8}\" y=\"{Y(ms) + 4:F1}\" text-anchor=\"end\">{ms:0.#}</text>\n"));
        }

        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 18}\" text-anchor=\"middle\">thread length (messages, log scale)</text>\n"));
        svg.Append(Invariant($"<text transform=\"translate(20 {(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">post latency (ms)</text>\n"));

        Series(svg, points, p => p.MedianMs, X, Y, "#1f77b4", "median", 0);
        Series(svg, points, p => p.P95Ms, X, Y, "#ff7f0e", "p95", 1);
        Series(svg, points, p => p.ShortThreadMedianMs, X, Y, "#2ca02c", "short thread, median", 2);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Series(
        StringBuilder svg, IReadOnlyList<AppendCostPoint> points, Func<AppendCostPoint, double> value,
        Func<long, double> x, Func<double, double> y, string color, string label, int row)
    {
        var path = string.Join(" ", points.OrderBy(p => p.AtMessage).Select(p => Invariant($"{x(p.AtMessage):F1},{y(value(p)):F1}")));
        svg.Append(Invariant($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
        foreach (var point in points)
        {
            svg.Append(Invariant($"<circle cx=\"{x(point.AtMessage):F1}\" cy=\"{y(value(point)):F1}\" r=\"3.5\" fill=\"{color}\"><title>{label} at {point.AtMessage:N0}: {value(point):F2} ms</title></circle>\n"));
        }

        var legendY = Top + 10 + (row * 20);
        svg.Append(Invariant($"<line x1=\"{Width - Right + 15}\" y1=\"{legendY}\" x2=\"{Width - Right + 35}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
        svg.Append(Invariant($"<text x=\"{Width - Right + 40}\" y=\"{legendY + 4}\">{Escape(label)}</text>\n"));
    }

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/>.</summary>
    private static double NiceCeiling(double value)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(value, 1e-3))));
        return new[] { 1, 2, 5, 10 }.Select(m => m * power).First(v => v >= value);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
