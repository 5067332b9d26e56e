namespace Bridge.Bench;

/// <summary>One mode's per-exchange cost: the same exchanges done by the benchmark directly and by the middleware.</summary>
public sealed record OverheadResult(string Mode, int Exchanges, TimeSpan Direct, TimeSpan Middleware)
{
    public double DirectMs => Direct.TotalMilliseconds / Exchanges;

    public double MiddlewareMs => Middleware.TotalMilliseconds / Exchanges;

    public double OverheadMs => MiddlewareMs - DirectMs;
}

/// <summary>Concurrent sessions in one mode: every exchange of every session, from the first start to the last end.</summary>
public sealed record ThroughputResult(string Mode, int Sessions, int ExchangesPerSession, int CompletedExchanges, TimeSpan Elapsed)
{
    public double ExchangesPerSecond => CompletedExchanges / Elapsed.TotalSeconds;
}

public sealed record BenchReport(
    string Environment,
    IReadOnlyList<OverheadResult> Overhead,
    IReadOnlyList<ThroughputResult> Throughput,
    IReadOnlyList<string> Notes);
