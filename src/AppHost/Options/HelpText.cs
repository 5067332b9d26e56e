namespace Bridge.AppHost.Options;

public static class HelpText
{
    public const string Text =
        """
        Bridge AppHost (Aspire): runs Cerebrum.Api, LlmServer and Middleware, a RabbitMQ broker when there is one,
        and the Aspire dashboard (http://localhost:18888).

        Usage: dotnet run --project src/AppHost [-- options]

          --without <service>     do not start a service (cerebrum, llmserver, middleware); may repeat
          --teacher <provider>    LlmServer's teacher chain: auto, embedded, ollama, openai, gemini, claude,
                                  or an ordered list such as ollama,embedded (sets Teacher__Chain)
          --port-offset <n>       add n to every port: services 8000/8001/8002, dashboard 18888, OTLP 18889
          --no-broker             no RabbitMQ: the middleware talks to LlmServer over HTTP
          --data-dir <path>       parent of the services' data directories (default: <repo>/.bridge)
          -h, --help              show this text

        Each option is a key of the "Bridge" configuration section (src/AppHost/appsettings.json), so
        Bridge__PortOffset=100 in the environment works as well as --port-offset 100.

        Broker: ConnectionStrings__rabbitmq when set; else the RabbitMQ container when a container runtime is
        there; else a private rabbitmq-server node when it is installed; else HTTP mode. The start-up output says which.
        """;
}
