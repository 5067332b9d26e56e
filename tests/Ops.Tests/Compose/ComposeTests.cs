using System.Text.RegularExpressions;
using Ops.Tests.Infrastructure;

namespace Ops.Tests.Compose;

public sealed partial class ComposeTests
{
    /// <summary>compose service → project under src/.</summary>
    public static readonly TheoryData<string, string> Services = new()
    {
        { "cerebrum", "Cerebrum.Api" },
        { "llmserver", "LlmServer" },
        { "middleware", "Middleware" },
    };

    private static readonly ServiceSource Defaults = new("ServiceDefaults");

    [Fact]
    public async Task Docker_compose_config_accepts_the_file_with_and_without_the_ollama_profile()
    {
        var plain = await ComposeModel.RunConfigAsync();
        var withOllama = await ComposeModel.RunConfigAsync("--profile", "ollama");

        plain.ShouldContain("rabbitmq:4-management");
        withOllama.ShouldContain("ollama/ollama");
    }

    [Fact]
    public async Task The_broker_is_the_management_image_with_a_diagnostics_health_check()
    {
        var compose = await ComposeModel.LoadAsync();

        var rabbit = compose.Services["rabbitmq"];
        rabbit.Image.ShouldBe("rabbitmq:4-management");
        rabbit.HealthTest.ShouldBe(["CMD", "rabbitmq-diagnostics", "-q", "ping"]);
        rabbit.Ports.ShouldContain((5672, 5672));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Each_service_listens_on_the_port_its_code_defaults_to(string service, string project)
    {
        var compose = await ComposeModel.LoadAsync();
        var port = new ServiceSource(project).DefaultPort();
        var definition = compose.Services[service];

        definition.Ports.ShouldBe([(port, port)]);
        definition.Environment["ASPNETCORE_URLS"].ShouldBe($"http://+:{port}");
        string.Join(' ', definition.HealthTest).ShouldContain($"http://localhost:{port}/health");
        definition.Dockerfile.ShouldBe($"src/{project}/Dockerfile");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Every_environment_variable_is_a_key_the_service_reads_and_the_contracts_document(string service, string project)
    {
        var compose = await ComposeModel.LoadAsync();
        var source = new ServiceSource(project);
        var documented = DocumentedKeys();

        foreach (var name in compose.Services[service].Environment.Keys.Where(n => n != "ASPNETCORE_URLS"))
        {
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            (source.Reads(key) || Defaults.Reads(key)).ShouldBeTrue($"{service}: {name} is set in docker-compose.yml but src/{project} (or ServiceDefaults) never reads '{key}'.");
            if (!Defaults.Reads(key))
            {
                documented.ShouldContain(key, $"{service}: {name} is not documented in docs/contracts.md.");
            }
        }
    }

    [Fact]
    public async Task Cerebrum_gets_no_broker_variable_and_does_not_wait_for_the_broker()
    {
        var cerebrum = (await ComposeModel.LoadAsync()).Services["cerebrum"];

        cerebrum.Environment.Keys.ShouldNotContain(k => k.Contains("rabbit", StringComparison.OrdinalIgnoreCase) || k.Contains("amqp", StringComparison.OrdinalIgnoreCase));
        cerebrum.Environment.Values.ShouldNotContain(v => v.Contains("amqp", StringComparison.OrdinalIgnoreCase));
        cerebrum.DependsOn.Keys.ShouldNotContain("rabbitmq");
    }

    [Theory]
    [InlineData("middleware")]
    [InlineData("llmserver")]
    public async Task Middleware_and_teacher_get_the_broker_by_its_service_name(string service)
    {
        var definition = (await ComposeModel.LoadAsync()).Services[service];

        var uri = new Uri(definition.Environment["ConnectionStrings__rabbitmq"]);
        uri.Scheme.ShouldBe("amqp");
        uri.Host.ShouldBe("rabbitmq");
        uri.Port.ShouldBe(5672);
        definition.DependsOn["rabbitmq"].ShouldBe("service_healthy");
    }

    [Fact]
    public async Task Middleware_finds_its_peers_by_the_aspire_names_at_their_compose_ports()
    {
        var middleware = (await ComposeModel.LoadAsync()).Services["middleware"];

        middleware.Environment["services__cerebrum__http__0"].ShouldBe($"http://cerebrum:{new ServiceSource("Cerebrum.Api").DefaultPort()}");
        middleware.Environment["services__llmserver__http__0"].ShouldBe($"http://llmserver:{new ServiceSource("LlmServer").DefaultPort()}");
        middleware.DependsOn["cerebrum"].ShouldBe("service_healthy");
        middleware.DependsOn["llmserver"].ShouldBe("service_healthy");
    }

    [Fact]
    public async Task Every_dependency_waits_for_a_health_check_that_exists()
    {
        var compose = await ComposeModel.LoadAsync();

        foreach (var service in compose.Services.Values)
        {
            foreach (var (dependency, condition) in service.DependsOn)
            {
                condition.ShouldBe("service_healthy", $"{service.Name} -> {dependency}");
                compose.Services[dependency].HealthTest.ShouldNotBeEmpty($"{service.Name} waits for {dependency}, which has no health check.");
            }
        }
    }

    [Fact]
    public async Task Learned_data_sessions_and_logs_live_in_named_volumes_at_the_configured_paths()
    {
        var compose = await ComposeModel.LoadAsync();
        var cerebrum = compose.Services["cerebrum"];
        var middleware = compose.Services["middleware"];

        MountFor(compose, cerebrum, Path.GetDirectoryName(cerebrum.Environment["Cerebrum__DatabasePath"])!).ShouldBe("cerebrum-data");
        MountFor(compose, middleware, Path.GetDirectoryName(middleware.Environment["Middleware__DatabasePath"])!).ShouldBe("middleware-data");
        MountFor(compose, middleware, middleware.Environment["Middleware__TrainingLogsPath"]).ShouldBe("training-logs");
    }

    [Fact]
    public async Task Ollama_is_an_optional_profile_and_the_teacher_points_at_it()
    {
        var compose = await ComposeModel.LoadAsync();

        compose.Services["ollama"].Profiles.ShouldBe(["ollama"]);
        compose.Services["ollama"].Ports.ShouldContain((11434, 11434));
        compose.Services["llmserver"].Environment["Ollama__Url"].ShouldBe("http://ollama:11434");
        compose.Services["llmserver"].Environment["Teacher__Chain"].ShouldBe("auto");
        compose.Services["llmserver"].DependsOn.Keys.ShouldNotContain("ollama");
    }

    private static string MountFor(ComposeModel compose, ComposeService service, string containerPath)
    {
        var mount = service.Volumes.SingleOrDefault(v => v.Target == containerPath);
        mount.Source.ShouldNotBeNull($"{service.Name} mounts nothing at {containerPath}.");
        compose.Volumes.ShouldContain(mount.Source, $"{mount.Source} is not a named volume.");
        return mount.Source;
    }

    /// <summary>Every configuration key docs/contracts.md writes in backticks (<c>Section:Key</c>, <c>services:x:http:0</c>, ...).</summary>
    private static HashSet<string> DocumentedKeys() =>
        BacktickedKey().Matches(Repository.ReadText("docs", "contracts.md")).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"`([A-Za-z][A-Za-z0-9_]*(?::[A-Za-z0-9_]+)+)`")]
    private static partial Regex BacktickedKey();
}
