using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.AppHost;

/// <summary>The AppHost's application model and the stack it runs (src/AppHost, docs/apphost.md).</summary>
[Collection(AspireStackCollection.Name)]
public sealed class AppHostModelTests(AspireStack stack)
{
    [Fact]
    public async Task The_three_services_are_healthy_on_their_offset_ports_with_the_chosen_teacher()
    {
        foreach (var port in new[] { 8000, 8001, 8002 })
        {
            (await stack.Http.GetAsync(new Uri(stack.UrlOf(port), "/health"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var models = JsonDocument.Parse(await stack.Http.GetStringAsync(new Uri(stack.UrlOf(8001), "/api/models")));
        models.RootElement.GetProperty("chain").EnumerateArray().Select(p => p.GetString()).ShouldBe(["embedded"],
            "--teacher embedded must reach LlmServer as Teacher__Chain");
    }

    [Fact]
    public async Task Services_are_wired_with_aspire_variables_and_cerebrum_never_sees_a_broker()
    {
        var cerebrum = await stack.EnvironmentOfAsync("cerebrum");
        var llmServer = await stack.EnvironmentOfAsync("llmserver");
        var middleware = await stack.EnvironmentOfAsync("middleware");

        // OTEL_* are DCP templates here (the testing builder runs without a dashboard); AppHostRunTests sees them at work.
        cerebrum["ASPNETCORE_URLS"].ShouldBe(stack.UrlOf(8000).ToString().TrimEnd('/'));
        cerebrum["Cerebrum__DatabasePath"].ShouldBe(Path.Combine(stack.DataDirectory, "cerebrum", "data", "cerebrum.db"));
        cerebrum.Keys.ShouldNotContain("ConnectionStrings__rabbitmq", "Cerebrum has no broker dependency");
        cerebrum.Keys.ShouldNotContain(k => k.StartsWith("services__", StringComparison.Ordinal), "Cerebrum calls no one");
        llmServer["Teacher__Chain"].ShouldBe("embedded");
        llmServer.Keys.ShouldNotContain(k => k.StartsWith("services__", StringComparison.Ordinal), "LlmServer calls no one of ours");
        llmServer.Keys.ShouldNotContain("ConnectionStrings__rabbitmq", "--no-broker means HTTP mode even when a broker is configured");
        middleware["services__cerebrum__http__0"].ShouldBe(stack.UrlOf(8000).ToString().TrimEnd('/'));
        middleware["services__llmserver__http__0"].ShouldBe(stack.UrlOf(8001).ToString().TrimEnd('/'));
        middleware["Middleware__TrainingLogsPath"].ShouldBe(Path.Combine(stack.DataDirectory, "middleware", "training_logs"));
        middleware.Keys.ShouldNotContain("ConnectionStrings__rabbitmq");
    }

    [Fact]
    public async Task A_training_session_runs_across_the_stack_and_lands_in_cerebrum()
    {
        using var start = await stack.Http.PostAsJsonAsync(new Uri(stack.UrlOf(8002), "/api/training/start"), new { max_exchanges = 2, delay = 0 });
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
        var sessionId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session_id").GetString();

        var session = await Poll.UntilAsync(
            async () => JsonDocument.Parse(await stack.Http.GetStringAsync(new Uri(stack.UrlOf(8002), $"/api/training/sessions/{sessionId}"))).RootElement,
            s => s.GetProperty("status").GetString() is not ("running" or "paused"),
            TimeSpan.FromSeconds(90));

        session.GetProperty("status").GetString().ShouldBe("completed", session.ToString());
        session.GetProperty("exchanges").GetInt32().ShouldBe(2);
        using var status = JsonDocument.Parse(await stack.Http.GetStringAsync(new Uri(stack.UrlOf(8000), "/api/status")));
        status.RootElement.GetProperty("observations").GetInt64().ShouldBeGreaterThanOrEqualTo(2);
    }

    // The two below only build the model (nothing starts); their offsets keep the AppHost's port check off the stack's ports.
    [Fact]
    public async Task Without_middleware_the_model_has_only_cerebrum_and_llmserver()
    {
        await using var builder = await AspireStack.CreateBuilderAsync("--no-broker", "--without", "middleware", "--port-offset", FreePorts.NextAppHostOffset().ToString());

        builder.Resources.OfType<ProjectResource>().Select(r => r.Name).ShouldBe(["cerebrum", "llmserver"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_configured_broker_is_a_connection_string_resource_that_cerebrum_does_not_reference()
    {
        await using var builder = await AspireStack.CreateBuilderAsync(
            "--port-offset", FreePorts.NextAppHostOffset().ToString(), $"--ConnectionStrings:rabbitmq={AspireStack.IgnoredBroker}");

        var broker = builder.Resources.OfType<IResourceWithConnectionString>().ShouldHaveSingleItem();
        broker.Name.ShouldBe("rabbitmq");
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var references = project.Annotations.OfType<ResourceRelationshipAnnotation>().Select(a => a.Resource.Name).ToList();
            if (project.Name == "cerebrum")
            {
                references.ShouldNotContain("rabbitmq");
            }
            else
            {
                references.ShouldContain("rabbitmq", $"{project.Name} is wired to the broker");
            }
        }
    }
}
