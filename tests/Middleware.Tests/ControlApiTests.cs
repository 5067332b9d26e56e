using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Middleware.Tests.Doubles;

namespace Middleware.Tests;

/// <summary>One middleware for the whole class: these tests only read or are refused, so they share it.</summary>
public sealed class ControlApiFixture : PeerDoublesTest
{
    public MiddlewareHost Host { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class ControlApiTests(ControlApiFixture fixture) : IClassFixture<ControlApiFixture>
{
    private HttpClient Client => fixture.Host.Client;

    [Theory]
    [InlineData("""{"max_exchanges": -1}""", "max_exchanges")]
    [InlineData("""{"max_exchanges": 0}""", "max_exchanges")]
    [InlineData("""{"max_exchanges": 100001}""", "max_exchanges")]
    [InlineData("""{"max_exchanges": 99999999999999}""", "max_exchanges")]
    [InlineData("""{"delay": -0.5}""", "delay")]
    [InlineData("""{"delay": 3601}""", "delay")]
    [InlineData("""{"topic_switch_interval": 0}""", "topic_switch_interval")]
    [InlineData("""{"topics": []}""", "topics")]
    [InlineData("""{"topics": ["weather", ""]}""", "topics")]
    [InlineData("""{"topics": [null]}""", "topics")]
    [InlineData("""{"topic": "   "}""", "topic")]
    public async Task Start_with_an_out_of_range_field_returns_a_validation_problem_naming_it(string body, string field)
    {
        using var response = await Client.PostAsync("/api/training/start", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(problem.ToString());
    }

    [Theory]
    [InlineData("""{"max_exchanges": "many"}""")]
    [InlineData("""{"max_exchanges": 2.5}""")]
    [InlineData("""{"delay": "soon"}""")]
    [InlineData("""{"topics": "weather"}""")]
    [InlineData("""{"max_exchanges": 5""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""not json""")]
    public async Task Start_with_a_malformed_or_mistyped_body_returns_a_problem(string body)
    {
        using var response = await Client.PostAsync("/api/training/start", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem.Str("detail").ShouldContain("JSON");
    }

    [Fact]
    public async Task Start_with_a_huge_body_returns_payload_too_large()
    {
        var body = $$"""{"topics": ["{{new string('x', 70_000)}}"]}""";
        using var response = await Client.PostAsync("/api/training/start", new StringContent(body, Encoding.UTF8, "application/json"));
        await ShouldBeProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Stop_with_an_unknown_session_id_returns_not_found()
    {
        using var response = await Client.PostAsync($"/api/training/stop?session_id={Guid.NewGuid()}", null);
        await ShouldBeProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Stop_with_a_malformed_session_id_returns_a_validation_problem()
    {
        using var response = await Client.PostAsync("/api/training/stop?session_id=not-a-session", null);
        var problem = await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("session_id", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("/api/training/log?session_id=00000000-0000-0000-0000-000000000001", HttpStatusCode.NotFound)]
    [InlineData("/api/training/log?session_id=42", HttpStatusCode.BadRequest)]
    [InlineData("/api/training/sessions/00000000-0000-0000-0000-000000000001", HttpStatusCode.NotFound)]
    [InlineData("/api/training/sessions/xyz", HttpStatusCode.BadRequest)]
    public async Task Reading_an_unknown_or_malformed_session_returns_a_problem(string path, HttpStatusCode expected)
    {
        using var response = await Client.GetAsync(path);
        await ShouldBeProblemAsync(response, expected);
    }

    [Fact]
    public async Task The_seed_stop_command_works_verbatim_with_and_without_a_content_type()
    {
        using var bare = await Client.PostAsync("/api/training/stop", null);
        bare.StatusCode.ShouldBe(HttpStatusCode.OK);

        using var withType = await Client.PostAsync("/api/training/stop", new StringContent("", Encoding.UTF8, "application/json"));
        withType.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await withType.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stopped_session_ids").ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [Fact]
    public async Task Status_and_sessions_answer_in_snake_case()
    {
        var status = await fixture.Host.GetJsonAsync("/api/training/status");
        status.TryGetProperty("running", out _).ShouldBeTrue();
        status.TryGetProperty("sessions", out _).ShouldBeTrue();

        var sessions = await fixture.Host.GetJsonAsync("/api/training/sessions");
        sessions.GetProperty("sessions").ValueKind.ShouldBe(JsonValueKind.Array);
    }

    [Fact]
    public async Task Cerebrum_routes_pass_through_to_its_api()
    {
        var status = await fixture.Host.GetJsonAsync("/api/cerebrum/status");
        status.Str("phase").ShouldBe("observing");
        status.TryGetProperty("observations", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Llm_routes_pass_through_to_its_api_with_the_seed_body()
    {
        using var response = await Client.PostAsync("/api/llm/chat", new StringContent("""{"message": "Test"}""", Encoding.UTF8, "application/json"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        reply.Str("response").ShouldStartWith("Teacher turn");
        fixture.Llm.Received.ShouldContain(r => r.Message == "Test");
    }

    internal static async Task<JsonElement> ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var problem = JsonDocument.Parse(text).RootElement;
        problem.Int("status").ShouldBe((int)expected);
        problem.Str("title").ShouldNotBeNullOrWhiteSpace();
        return problem;
    }
}

public sealed class PeerOutageProxyTests : IAsyncLifetime
{
    private readonly MiddlewareFiles _files = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _files.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_proxied_call_to_a_peer_that_is_down_returns_bad_gateway_problem()
    {
        var nowhere = $"http://127.0.0.1:{PeerDouble.UnusedPort()}";
        await using var host = MiddlewareHost.Start(_files, nowhere, nowhere);

        using var cerebrum = await host.Client.GetAsync("/api/cerebrum/status");
        var problem = await ControlApiTests.ShouldBeProblemAsync(cerebrum, HttpStatusCode.BadGateway);
        problem.Str("detail").ShouldContain(nowhere);

        using var llm = await host.Client.PostAsync("/api/llm/chat", new StringContent("""{"message": "Test"}""", Encoding.UTF8, "application/json"));
        await ControlApiTests.ShouldBeProblemAsync(llm, HttpStatusCode.BadGateway);
    }
}
