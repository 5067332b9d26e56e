namespace Trainer.Cli.Arguments;

/// <summary>What the user asked for on the command line. Null fields fall back to the middleware's configuration.</summary>
public sealed record TrainerArguments(
    int? Exchanges,
    double? Delay,
    string? Topic,
    Uri Middleware,
    string? ApiKey,
    bool ShowHelp)
{
    public static readonly Uri DefaultMiddleware = new("http://localhost:8002");

    public const int MaxExchanges = 100_000;
    public const double MaxDelaySeconds = 3600;
    public const int MaxTopicLength = 200;
}
