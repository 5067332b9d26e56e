using LlmServer.Extensions;
using LlmServer.Messaging;
using LlmServer.Messaging.Contracts;
using LlmServer.Tests.Doubles;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LlmServer.Tests.Messaging;

public sealed class TeacherTurnConsumerTests
{
    private static readonly Uri TeacherTurnsQueue = new($"queue:{BrokerNames.TeacherTurnsQueue}");

    /// <summary>LlmServer with its consumers on MassTransit's in-memory test harness instead of RabbitMQ.</summary>
    private static WebApplicationFactoryWithHarness StartWithHarness(params (string Key, string? Value)[] settings)
    {
        var server = LlmServerFactory.With(settings.Append(("Teacher:Chain", "embedded")).ToArray());
        var factory = server.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddMassTransitTestHarness(bus => bus.AddTeacherConsumers())));
        return new WebApplicationFactoryWithHarness(server, factory);
    }

    [Fact]
    public async Task Generate_teacher_turn_sent_to_the_shared_queue_is_answered_with_the_teachers_line()
    {
        await using var app = StartWithHarness();
        var harness = await app.StartHarnessAsync();
        var sessionId = Guid.NewGuid();
        var client = harness.Bus.CreateRequestClient<GenerateTeacherTurn>(TeacherTurnsQueue);

        var response = await client.GetResponse<TeacherTurnGenerated>(new GenerateTeacherTurn
        {
            SessionId = sessionId,
            Sequence = 3,
            Topic = "the weather",
            Message = "I like rain",
            History = [new ChatTurn { Role = "assistant", Content = "What is the weather like today?" }],
        });

        response.Message.SessionId.ShouldBe(sessionId);
        response.Message.Sequence.ShouldBe(3);
        response.Message.Provider.ShouldBe("embedded");
        response.Message.Model.ShouldBe("bridge-embedded-teacher-v1");
        response.Message.Response.ShouldContain("rain", Case.Insensitive);
        response.Message.Response.ShouldNotContain("What is the weather like today?");
        (await harness.Consumed.Any<GenerateTeacherTurn>()).ShouldBeTrue();
    }

    [Fact]
    public async Task Another_services_copy_of_the_contracts_interoperates_through_the_message_urns()
    {
        await using var app = StartWithHarness();
        var harness = await app.StartHarnessAsync();
        var client = harness.Bus.CreateRequestClient<RequesterCopy.GenerateTeacherTurn>(TeacherTurnsQueue);
        var sessionId = Guid.NewGuid();

        var response = await client.GetResponse<RequesterCopy.TeacherTurnGenerated>(
            new RequesterCopy.GenerateTeacherTurn(sessionId, 1, "food and cooking", "Hello! Let's talk about food and cooking.", [], null, null));

        response.Message.SessionId.ShouldBe(sessionId);
        response.Message.Sequence.ShouldBe(1);
        response.Message.Provider.ShouldBe("embedded");
        response.Message.Response.ShouldNotBeNullOrWhiteSpace();
        response.Message.DurationMs.ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task A_request_that_breaks_the_contract_limits_faults_at_once_without_retries()
    {
        await using var app = StartWithHarness();
        var harness = await app.StartHarnessAsync();
        var client = harness.Bus.CreateRequestClient<GenerateTeacherTurn>(TeacherTurnsQueue);

        var fault = await Should.ThrowAsync<RequestFaultException>(() => client.GetResponse<TeacherTurnGenerated>(new GenerateTeacherTurn
        {
            SessionId = Guid.NewGuid(),
            Sequence = 1,
            Topic = "music",
            Message = "Hi",
            Provider = "skynet",
        }));

        fault.Fault!.Exceptions.ShouldContain(e => e.Message.Contains("Unknown provider 'skynet'"));
        var consumer = harness.GetConsumerHarness<GenerateTeacherTurnConsumer>();
        (await consumer.Consumed.SelectAsync<GenerateTeacherTurn>().Count()).ShouldBe(1);
    }

    [Fact]
    public void The_consumer_endpoint_is_the_bridge_prefixed_shared_queue_with_a_concurrency_limit()
    {
        var definition = new GenerateTeacherTurnConsumerDefinition(Microsoft.Extensions.Options.Options.Create(new TeacherMessagingOptions { ConcurrentTurns = 3 }));

        ((IConsumerDefinition)definition).GetEndpointName(KebabCaseEndpointNameFormatter.Instance).ShouldBe("bridge-llmserver-teacher-turns");
        definition.ConcurrentMessageLimit.ShouldBe(3);
    }

    [Fact]
    public void Exchanges_are_named_under_the_bridge_prefix_and_urns_match_the_contract()
    {
        var formatter = new BridgeEntityNameFormatter(new MessageUrnEntityNameFormatter());

        formatter.FormatEntityName<GenerateTeacherTurn>().ShouldBe("bridge.GenerateTeacherTurn");
        formatter.FormatEntityName<TeacherTurnGenerated>().ShouldBe("bridge.TeacherTurnGenerated");
        formatter.FormatEntityName<Fault<GenerateTeacherTurn>>().ShouldBe("bridge.Fault-GenerateTeacherTurn");
        MessageUrn.ForTypeString<GenerateTeacherTurn>().ShouldBe("urn:message:bridge:GenerateTeacherTurn");
        MessageUrn.ForTypeString<TeacherTurnGenerated>().ShouldBe("urn:message:bridge:TeacherTurnGenerated");
        MessageUrn.ForTypeString<ChatTurn>().ShouldBe("urn:message:bridge:ChatTurn");
    }

    [Fact]
    public async Task Without_a_broker_there_is_no_bus_and_the_log_says_http_only()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));
        server.CreateClient();

        server.Services.GetService<IBusControl>().ShouldBeNull();
        server.Logs.Messages.ShouldContain(m => m.Contains("HTTP only"));
    }

    [Fact]
    public async Task With_a_broker_configured_the_bus_is_registered_and_http_keeps_working_while_the_broker_is_down()
    {
        var broker = ClosedPort.Url().Replace("http://", "amqp://bridge:s3cret-pass@", StringComparison.Ordinal) + "/";
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"), ("ConnectionStrings:rabbitmq", broker));

        var json = await server.CreateClient().ChatAsync(new { message = "Hello!" });

        json["provider"]!.GetValue<string>().ShouldBe("embedded");
        server.Services.GetService<IBusControl>().ShouldNotBeNull();
        server.Logs.Messages.ShouldContain(m => m.Contains("bridge-llmserver-teacher-turns"));
        server.Logs.Messages.ShouldAllBe(m => !m.Contains("s3cret-pass"));
    }

    [Theory]
    [InlineData("amqp://guest:guest@localhost:5672/", "localhost", 5672, "/", "guest", false)]
    [InlineData("amqp://user:p%40ss@rabbit:5673/bridge", "rabbit", 5673, "bridge", "user", false)]
    [InlineData("amqps://u:topsecret@broker.example", "broker.example", 5671, "/", "u", true)]
    public void Connection_string_parts_are_read_from_the_amqp_uri(string uri, string host, int port, string vhost, string user, bool tls)
    {
        var address = RabbitMqAddress.Parse(uri);

        address.ShouldBe(address with { Host = host, Port = (ushort)port, VirtualHost = vhost, Username = user, UseTls = tls });
        address.ToString().ShouldNotContain(address.Password);
    }

    /// <summary>Owns the derived factory and the original, and starts the harness once the host is built.</summary>
    private sealed class WebApplicationFactoryWithHarness(LlmServerFactory server, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<LlmServer.Teachers.TeacherChain> factory) : IAsyncDisposable
    {
        public async Task<ITestHarness> StartHarnessAsync()
        {
            factory.CreateClient();
            var harness = factory.Services.GetTestHarness();
            await harness.Start();
            return harness;
        }

        public async ValueTask DisposeAsync()
        {
            await factory.DisposeAsync();
            await server.DisposeAsync();
        }
    }
}
