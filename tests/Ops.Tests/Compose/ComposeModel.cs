using Ops.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Ops.Tests.Compose;

/// <summary>docker-compose.yml as docker-compose itself resolves it (<c>docker-compose config</c>: defaults filled in,
/// short forms normalised), parsed with YamlDotNet.</summary>
public sealed record ComposeModel(IReadOnlyDictionary<string, ComposeService> Services, IReadOnlyList<string> Volumes)
{
    public const string InstallHint = "docker-compose is not installed. Install it with 'apt-get install -y docker-compose' (./test.sh does this).";

    /// <summary>What the tests put in the environment instead of an <c>.env</c> file: the broker login, which
    /// docker-compose.yml requires and never defaults.</summary>
    public static readonly IReadOnlyDictionary<string, string?> BrokerLogin = new Dictionary<string, string?>
    {
        ["RABBITMQ_USER"] = "ops-test-user",
        ["RABBITMQ_PASSWORD"] = "ops-test-password-4d1c",
    };

    public static async Task<string> RunConfigAsync(params string[] extra)
    {
        var (exitCode, output) = await TryRunConfigAsync(BrokerLogin, EmptyEnvFile.Value, extra);
        exitCode.ShouldBe(0, $"docker-compose config rejected docker-compose.yml:\n{output}");
        return output;
    }

    /// <summary><c>docker-compose config</c> with exactly <paramref name="environment"/> (null removes a variable the test
    /// host may have) and <paramref name="envFile"/> instead of any <c>.env</c> a developer keeps in the repository.</summary>
    public static async Task<(int ExitCode, string Output)> TryRunConfigAsync(IReadOnlyDictionary<string, string?> environment, string envFile, params string[] extra)
    {
        var binary = FindBinary() ?? throw new Xunit.Sdk.XunitException(InstallHint);
        return await ProcessRunner.RunAsync(
            binary,
            ["--project-directory", SolutionLayout.Current.RepositoryRoot, "-f", SolutionLayout.Current.PathOf("docker-compose.yml"), "--env-file", envFile, .. extra, "config"],
            TimeSpan.FromSeconds(60),
            environment: environment);
    }

    private static readonly Lazy<string> EmptyEnvFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), $"bridge-ops-empty-{Environment.ProcessId}.env");
        File.WriteAllText(path, "");
        return path;
    });

    private static readonly Lazy<Task<ComposeModel>> Resolved = new(ParseAsync);

    /// <summary>Parsed once per test run: docker-compose (Python) takes about half a second per call.</summary>
    public static Task<ComposeModel> LoadAsync() => Resolved.Value;

    private static async Task<ComposeModel> ParseAsync()
    {
        var yaml = await RunConfigAsync("--profile", "ollama");
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var services = Map(root, "services").Children.ToDictionary(
            e => e.Key.ToString(),
            e => ComposeService.From(e.Key.ToString(), (YamlMappingNode)e.Value));
        var volumes = root.Children.TryGetValue("volumes", out var v) ? ((YamlMappingNode)v).Children.Keys.Select(k => k.ToString()).ToList() : [];
        return new ComposeModel(services, volumes);
    }

    private static string? FindBinary() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "docker-compose"))
            .FirstOrDefault(File.Exists);

    internal static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var child) && child is YamlMappingNode map ? map : new YamlMappingNode();

    internal static IReadOnlyList<string> Seq(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var child) && child is YamlSequenceNode seq ? seq.Children.Select(c => c.ToString()).ToList() : [];
}

public sealed record ComposeService(
    string Name,
    string? Image,
    string? Dockerfile,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<PortBinding> Ports,
    IReadOnlyList<(string Source, string Target)> Volumes,
    IReadOnlyDictionary<string, string> DependsOn,
    IReadOnlyList<string> HealthTest,
    IReadOnlyList<string> Profiles)
{
    public static ComposeService From(string name, YamlMappingNode node)
    {
        var environment = ComposeModel.Map(node, "environment").Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());
        var ports = node.Children.TryGetValue("ports", out var p) && p is YamlSequenceNode portSeq
            ? portSeq.Children.Select(PortBinding.From).ToList()
            : [];
        var volumes = ComposeModel.Seq(node, "volumes").Select(v => v.Split(':')).Select(parts => (parts[0], parts[1])).ToList();
        var dependsOn = ComposeModel.Map(node, "depends_on").Children.ToDictionary(
            e => e.Key.ToString(),
            e => e.Value is YamlMappingNode m && m.Children.TryGetValue("condition", out var c) ? c.ToString() : "");
        var health = ComposeModel.Map(node, "healthcheck");
        return new ComposeService(
            name,
            node.Children.TryGetValue("image", out var image) ? image.ToString() : null,
            ComposeModel.Map(node, "build").Children.TryGetValue("dockerfile", out var dockerfile) ? dockerfile.ToString() : null,
            environment,
            ports,
            volumes,
            dependsOn,
            ComposeModel.Seq(health, "test"),
            ComposeModel.Seq(node, "profiles"));
    }
}

/// <summary>One published port. <see cref="HostIp"/> null means every interface of the host.</summary>
public sealed record PortBinding(string? HostIp, int Published, int Target)
{
    public bool IsLoopbackOnly => HostIp is "127.0.0.1" or "::1" or "[::1]" or "localhost";

    /// <summary>docker-compose v1 prints a port bound to an address in the short form (<c>127.0.0.1:5672:5672/tcp</c>)
    /// and others as a mapping (<c>published</c>, <c>target</c>, v2 also <c>host_ip</c>); both are read.</summary>
    public static PortBinding From(YamlNode node)
    {
        if (node is YamlMappingNode map)
        {
            return new PortBinding(
                map.Children.TryGetValue("host_ip", out var ip) ? ip.ToString() : null,
                int.Parse(map["published"].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(map["target"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var text = node.ToString().Split('/')[0];
        var last = text.LastIndexOf(':');
        var target = int.Parse(text[(last + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var rest = last < 0 ? "" : text[..last];
        var middle = rest.LastIndexOf(':');
        return middle < 0
            ? new PortBinding(null, rest.Length == 0 ? target : int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture), target)
            : new PortBinding(rest[..middle], int.Parse(rest[(middle + 1)..], System.Globalization.CultureInfo.InvariantCulture), target);
    }
}
