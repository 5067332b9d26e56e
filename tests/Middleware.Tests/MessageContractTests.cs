using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Middleware.Messaging;
using Middleware.Messaging.Contracts;

namespace Middleware.Tests;

/// <summary>The middleware's copies of the bus contracts have the wire shape docs/contracts.md gives them.</summary>
public sealed class MessageContractTests
{
    public static TheoryData<Type, string[]> Contracts => new()
    {
        { typeof(GenerateTeacherTurn), ["sessionId", "sequence", "topic", "message", "history", "model", "provider"] },
        { typeof(TeacherTurnGenerated), ["sessionId", "sequence", "response", "model", "provider", "durationMs"] },
        { typeof(ChatTurn), ["role", "content"] },
        { typeof(TrainingSessionStarted), ["sessionId", "maxExchanges", "delaySeconds", "topics", "startedAt"] },
        { typeof(ExchangeCompleted), ["sessionId", "sequence", "exchangeId", "topic", "teacherMessage", "learnerResponse", "learnerPhase", "learnerObservations", "completedAt", "review", "teacher", "routing"] },
        { typeof(TrainingSessionEnded), ["sessionId", "exchanges", "reason", "endedAt"] },
    };

    [Theory]
    [MemberData(nameof(Contracts))]
    public void Each_contract_carries_its_bridge_urn_and_exactly_the_documented_fields(Type type, string[] fields)
    {
        var urn = type.GetCustomAttributes(typeof(MessageUrnAttribute), false).Cast<MessageUrnAttribute>().ShouldHaveSingleItem();
        urn.Urn.ToString().ShouldBe($"urn:message:bridge:{type.Name}");

        var json = JsonSerializer.SerializeToElement(Activator.CreateInstance(type), type, SystemTextJsonMessageSerializer.Options);
        json.EnumerateObject().Select(p => p.Name).ShouldBe(fields, ignoreOrder: true);
    }

    [Fact]
    public void A_request_round_trips_through_the_bus_serializer_with_its_history()
    {
        var request = new GenerateTeacherTurn
        {
            SessionId = Guid.NewGuid(),
            Sequence = 3,
            Topic = "weather",
            Message = "It rains.",
            History = [new ChatTurn { Role = "assistant", Content = "How is the weather?" }],
        };

        var json = JsonSerializer.Serialize(request, SystemTextJsonMessageSerializer.Options);
        var back = JsonSerializer.Deserialize<GenerateTeacherTurn>(json, SystemTextJsonMessageSerializer.Options)!;

        back.SessionId.ShouldBe(request.SessionId);
        back.Sequence.ShouldBe(3);
        back.History.ShouldHaveSingleItem().Content.ShouldBe("How is the weather?");
    }

    [Fact]
    public void Every_exchange_the_formatter_names_is_under_the_bridge_prefix()
    {
        var formatter = new BridgeEntityNameFormatter(new StubFormatter());

        formatter.FormatEntityName<ExchangeCompleted>().ShouldBe("bridge.ExchangeCompleted");
        formatter.FormatEntityName<Fault<GenerateTeacherTurn>>().ShouldBe("bridge.Fault-GenerateTeacherTurn");
        formatter.FormatEntityName<Uri>().ShouldBe("bridge.inner-Uri");
        BridgeEntityNameFormatter.KnownExchangeNames.ShouldAllBe(n => n.StartsWith("bridge."));
    }

    [Theory]
    [InlineData("amqp://guest:guest@localhost:5672/", "localhost", 5672, "/", "guest", "guest")]
    [InlineData("amqp://bridge:p%40ss@127.0.0.1:25672/training", "127.0.0.1", 25672, "training", "bridge", "p@ss")]
    [InlineData("amqp://rabbit", "rabbit", 5672, "/", "guest", "guest")]
    public void Connection_strings_in_the_aspire_form_are_understood(string value, string host, int port, string vhost, string user, string password)
    {
        var connection = RabbitMqConnection.Parse(value);
        connection.Host.ShouldBe(host);
        connection.Port.ShouldBe((ushort)port);
        connection.VirtualHost.ShouldBe(vhost);
        connection.Username.ShouldBe(user);
        connection.Password.ShouldBe(password);
    }

    [Theory]
    [InlineData("localhost:5672")]
    [InlineData("http://localhost:15672")]
    public void A_connection_string_that_is_not_an_amqp_uri_is_refused_with_a_useful_message(string value)
    {
        Should.Throw<FormatException>(() => RabbitMqConnection.Parse(value)).Message.ShouldContain("amqp://");
    }

    private sealed class StubFormatter : IEntityNameFormatter
    {
        public string FormatEntityName<T>() => $"inner-{typeof(T).Name}";
    }
}
