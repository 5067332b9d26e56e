using Ops.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Ops.Tests.Compose;

/// <summary>docker-compose.yml as docker-compose itself resolves it (<c>docker-compose config</c>: defaults filled in,
/// short forms normalised), parsed with YamlDotNet.</summary>
public sealed record ComposeModel(IReadOnlyDictionary<string, ComposeService> Services, IReadOnlyList<string> Volumes)
{
    public const string InstallHint = "docker-compose is not installed. Install it with 'apt-get install -y docker-compose' (./test.sh does this).";

    public static async Task<string> RunConfigAsync(params string[] extra)
    {
        var binary = FindBinary() ?? throw new Xunit.Sdk.XunitException(InstallHint);
        var (exitCode, output) = await ProcessRunner.RunAsync(binary, ["--project-directory", Repository.Root, "-f", Repository.PathOf("docker-compose.yml"), .. extra, "config"], TimeSpan.FromSeconds(60));
        exitCode.ShouldBe(0, $"docker-compose config rejected docker-compose.yml:\n{output}");
        return output;
    }

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
    IReadOnlyList<(int Published, int Target)> Ports,
    IReadOnlyList<(string Source, string Target)> Volumes,
    IReadOnlyDictionary<string, string> DependsOn,
    IReadOnlyList<string> HealthTest,
    IReadOnlyList<string> Profiles)
{
    public static ComposeService From(string name, YamlMappingNode node)
    {
        var environment = ComposeModel.Map(node, "environment").Children.ToDictionary(e => e.Key.ToString(), e => e.Value.ToString());
        var ports = node.Children.TryGetValue("ports", out var p) && p is YamlSequenceNode portSeq
            ? portSeq.Children.OfType<YamlMappingNode>().Select(m => (int.Parse(m["published"].ToString()), int.Parse(m["target"].ToString()))).ToList()
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
