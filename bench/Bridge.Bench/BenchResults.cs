namespace Bridge.Bench;

/// <summary>Per-exchange times in milliseconds, and the figures the report prints from them.</summary>
public sealed record Samples(IReadOnlyList<double> Milliseconds)
{
    public int Count => Milliseconds.Count;

    public double Mean => Milliseconds.Count == 0 ? double.NaN : Milliseconds.Average();

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double fraction)
    {
        if (Milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = Milliseconds.Order().ToList();
        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// One mode's per-exchange cost: the same exchanges done by the benchmark directly and by the middleware, and the
/// round trip of the teacher transport alone (the floor under what the middleware could add).
/// </summary>
public sealed record OverheadResult(string Mode, Samples Direct, Samples Middleware, Samples Floor, string FloorWhat)
{
    public double OverheadP50 => Middleware.P50 - Direct.P50;

    public double OverheadP99 => Middleware.P99 - Direct.P99;

    public double OverheadMean => Middleware.Mean - Direct.Mean;
}

/// <summary>Concurrent sessions in one mode against as many concurrent direct loops, exchanges per second each.</summary>
public sealed record ThroughputResult(string Mode, int Sessions, int ExchangesPerSession, TimeSpan Direct, TimeSpan Middleware)
{
    public int Exchanges => Sessions * ExchangesPerSession;

    public double DirectPerSecond => Exchanges / Direct.TotalSeconds;

    public double MiddlewarePerSecond => Exchanges / Middleware.TotalSeconds;

    public double Ratio => MiddlewarePerSecond / DirectPerSecond;
}

/// <summary>One thousand exchanges of the long session: how fast, what the middleware wrote, how big it is.</summary>
public sealed record LongSessionRow(int Exchanges, double ExchangesPerSecond, double DiskBytesPerExchange, double WrittenBytesPerExchange, double RssMegabytes);

public sealed record LongSessionResult(
    string Mode,
    IReadOnlyList<LongSessionRow> Rows,
    double DirectBeforePerSecond,
    double DirectAfterPerSecond,
    int DirectExchanges,
    double CerebrumAlonePerSecond);

public sealed record BenchReport(
    string Environment,
    IReadOnlyList<OverheadResult> Overhead,
    IReadOnlyList<ThroughputResult> Throughput,
    LongSessionResult? LongSession,
    IReadOnlyList<string> Notes);
