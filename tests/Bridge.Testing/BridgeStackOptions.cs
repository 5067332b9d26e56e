namespace Bridge.Testing;

/// <summary>How a <see cref="BridgeStack"/> is wired. The defaults are HTTP mode with the offline teacher.</summary>
public sealed record BridgeStackOptions
{
    /// <summary><c>ConnectionStrings__rabbitmq</c> for LlmServer and Middleware (never Cerebrum); null runs the bridge over HTTP.</summary>
    public string? BrokerConnectionString { get; init; }

    /// <summary>The broker's management API, given to the middleware (<c>Middleware__RabbitMqManagementUrl</c>) so that
    /// topology removal can list every <c>bridge*</c> entity, as the AppHost does; null leaves the middleware's default.</summary>
    public Uri? BrokerManagementUri { get; init; }

    /// <summary><c>Teacher__Chain</c> for LlmServer; <c>embedded</c> needs no model and no network.</summary>
    public string Teacher { get; init; } = "embedded";

    /// <summary>LlmServer processes; with a broker they are competing consumers of the teacher-turn queue.</summary>
    public int LlmServerReplicas { get; init; } = 1;

    /// <summary>False gives the middleware a dead loopback address for LlmServer's HTTP API, so only the bus can carry
    /// teacher turns (and an outage of the broker stops them for certain).</summary>
    public bool MiddlewareReachesLlmServerOverHttp { get; init; } = true;

    /// <summary><c>Middleware__ApiKey</c>: the control API then needs it, and <see cref="BridgeStack.MiddlewareClient"/> sends it.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Extra variables for every service (a null value removes one).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Extra variables for the middleware, after <see cref="Environment"/>.</summary>
    public IReadOnlyDictionary<string, string?> MiddlewareEnvironment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Extra variables for each LlmServer, after <see cref="Environment"/>.</summary>
    public IReadOnlyDictionary<string, string?> LlmServerEnvironment { get; init; } = new Dictionary<string, string?>();

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Where the services' lines go besides their kept output; <see cref="ConsoleLog.Quiet"/> echoes none.</summary>
    public ConsoleLog Console { get; init; } = ConsoleLog.Quiet;
}
