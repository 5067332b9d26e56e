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
        rabbit.Ports.ShouldContain(new PortBinding("127.0.0.1", 5672, 5672));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Each_service_listens_on_the_port_its_code_defaults_to(string service, string project)
    {
        var compose = await ComposeModel.LoadAsync();
        var port = new ServiceSource(project).DefaultPort();
        var definition = compose.Services[service];

        definition.Ports.Select(p => (p.Published, p.Target)).ShouldBe([(port, port)]);
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
            // A list element (Middleware__ApiKeys__0) is read and documented as its list (Middleware:ApiKeys).
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            var list = WithoutListIndex(key);
            (source.Reads(key) || source.Reads(list) || Defaults.Reads(key)).ShouldBeTrue($"{service}: {name} is set in docker-compose.yml but src/{project} (or ServiceDefaults) never reads '{key}'.");
            if (!Defaults.Reads(key))
            {
                (documented.Contains(key) || documented.Contains(list)).ShouldBeTrue($"{service}: {name} is not documented in docs/contracts.md.");
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
        uri.UserInfo.ShouldBe($"{ComposeModel.BrokerLogin["RABBITMQ_USER"]}:{ComposeModel.BrokerLogin["RABBITMQ_PASSWORD"]}");
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
        compose.Services["ollama"].Ports.ShouldContain(new PortBinding("127.0.0.1", 11434, 11434));
        compose.Services["llmserver"].Environment["Ollama__Url"].ShouldBe("http://ollama:11434");
        compose.Services["llmserver"].Environment["Teacher__Chain"].ShouldBe("auto");
        compose.Services["llmserver"].DependsOn.Keys.ShouldNotContain("ollama");
    }

    [Fact]
    public async Task The_broker_login_comes_from_the_environment_and_is_the_one_both_clients_use()
    {
        var compose = await ComposeModel.LoadAsync();
        var rabbit = compose.Services["rabbitmq"];

        rabbit.Environment["RABBITMQ_DEFAULT_USER"].ShouldBe(ComposeModel.BrokerLogin["RABBITMQ_USER"]);
        rabbit.Environment["RABBITMQ_DEFAULT_PASS"].ShouldBe(ComposeModel.BrokerLogin["RABBITMQ_PASSWORD"]);
        foreach (var client in new[] { "middleware", "llmserver" })
        {
            compose.Services[client].Environment["ConnectionStrings__rabbitmq"].ShouldNotContain("guest");
        }
    }

    [Fact]
    public async Task Without_a_broker_password_in_the_environment_compose_refuses_and_says_where_to_set_it()
    {
        var (exitCode, output) = await ComposeModel.TryRunConfigAsync(
            new Dictionary<string, string?> { ["RABBITMQ_USER"] = null, ["RABBITMQ_PASSWORD"] = null },
            SolutionLayout.Current.PathOf(".env.example"));

        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("RABBITMQ_PASSWORD");
        output.ShouldContain(".env");
    }

    [Fact]
    public async Task Only_the_middleware_is_published_beyond_loopback_and_no_broker_port_is_open_to_the_network()
    {
        var compose = await ComposeModel.LoadAsync();

        foreach (var service in compose.Services.Values.Where(s => s.Name != "middleware"))
        {
            service.Ports.ShouldAllBe(p => p.IsLoopbackOnly, $"{service.Name} publishes a port on every interface: {string.Join(", ", service.Ports)}");
        }

        compose.Services["rabbitmq"].Ports.Select(p => p.Target).ShouldBe([5672, 15672], ignoreOrder: true);
        compose.Services["middleware"].Ports.ShouldBe([new PortBinding(null, 8002, 8002)]);
    }

    [Fact]
    public void Env_example_documents_every_variable_the_compose_file_reads()
    {
        var compose = SolutionLayout.Current.ReadText("docker-compose.yml");
        var example = SolutionLayout.Current.ReadText(".env.example");

        var variables = ComposeVariable().Matches(compose).Select(m => m.Groups[1].Value).Distinct().ToList();
        variables.ShouldContain("RABBITMQ_PASSWORD");
        foreach (var variable in variables)
        {
            example.ShouldContain($"\n{variable}=", Case.Sensitive, $".env.example does not document {variable}.");
        }
    }

    [Fact]
    public async Task Env_example_filled_in_with_a_password_is_accepted()
    {
        var filled = Path.Combine(Path.GetTempPath(), $"bridge-ops-env-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(filled, SolutionLayout.Current.ReadText(".env.example").Replace("RABBITMQ_PASSWORD=\n", "RABBITMQ_PASSWORD=from-the-env-file\n", StringComparison.Ordinal));
        try
        {
            var (exitCode, output) = await ComposeModel.TryRunConfigAsync(
                new Dictionary<string, string?> { ["RABBITMQ_USER"] = null, ["RABBITMQ_PASSWORD"] = null },
                filled);

            exitCode.ShouldBe(0, output);
            output.ShouldContain("amqp://bridge:from-the-env-file@rabbitmq:5672");
        }
        finally
        {
            File.Delete(filled);
        }
    }

    /// <summary><c>Middleware:ApiKeys:0</c> → <c>Middleware:ApiKeys</c>.</summary>
    private static string WithoutListIndex(string key) =>
        string.Join(':', key.Split(':').Reverse().SkipWhile(part => part.All(char.IsAsciiDigit)).Reverse());

    private static string MountFor(ComposeModel compose, ComposeService service, string containerPath)
    {
        var mount = service.Volumes.SingleOrDefault(v => v.Target == containerPath);
        mount.Source.ShouldNotBeNull($"{service.Name} mounts nothing at {containerPath}.");
        compose.Volumes.ShouldContain(mount.Source, $"{mount.Source} is not a named volume.");
        return mount.Source;
    }

    /// <summary>Every configuration key docs/contracts.md writes in backticks (<c>Section:Key</c>, <c>services:x:http:0</c>, ...).</summary>
    private static HashSet<string> DocumentedKeys() =>
        BacktickedKey().Matches(SolutionLayout.Current.ReadText("docs", "contracts.md")).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"`([A-Za-z][A-Za-z0-9_]*(?::[A-Za-z0-9_]+)+)`")]
    private static partial Regex BacktickedKey();

    [GeneratedRegex(@"\$\{([A-Z][A-Z0-9_]*)")]
    private static partial Regex ComposeVariable();
}
