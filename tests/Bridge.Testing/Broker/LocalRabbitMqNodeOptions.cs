namespace Bridge.Testing.Broker;

/// <summary>How to start a private <see cref="LocalRabbitMqNode"/>.</summary>
public sealed record LocalRabbitMqNodeOptions
{
    /// <summary>Directory that holds the node's data, logs, config and Erlang cookie. A new temp directory when null.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Deletes <see cref="DataDirectory"/> on dispose. Defaults to true only for a generated temp directory.</summary>
    public bool? DeleteDataOnDispose { get; init; }

    /// <summary>Enables the management plugin (HTTP API with per-queue counters).</summary>
    public bool EnableManagement { get; init; } = true;

    /// <summary>Upper bound for the node to accept AMQP connections (and management requests). It starts in about
    /// 7 s on a quiet machine, but with the test run and two builds on two cores the Erlang VM took 85 s to write its
    /// first log line, and 90 s failed every broker test of that run.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Upper bound for a graceful stop before the node's processes are killed.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Receives each line the node writes to stdout/stderr (the host prefixes and colours them).</summary>
    public Action<string>? OnOutput { get; init; }
}
