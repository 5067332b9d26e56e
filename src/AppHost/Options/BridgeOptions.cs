using Bridge.AppHost.Services;
using Microsoft.Extensions.Configuration;

namespace Bridge.AppHost.Options;

/// <summary>What the user asked for: the <c>Bridge</c> section of the AppHost's configuration (appsettings.json,
/// <c>Bridge__*</c> variables, and the switches <see cref="CommandLine"/> maps onto it).</summary>
public sealed record BridgeOptions
{
    public const string Section = "Bridge";

    /// <summary>The highest offset that keeps the dashboard's OTLP port (18889 + offset) a valid port.</summary>
    public const int MaxPortOffset = 46000;

    public IReadOnlyList<string> Without { get; init; } = [];

    /// <summary>Becomes <c>Teacher__Chain</c> for LlmServer; null leaves LlmServer's own default (<c>auto</c>).</summary>
    public string? Teacher { get; init; }

    public int PortOffset { get; init; }

    /// <summary>As given, for the message when it is not a whole number.</summary>
    public string PortOffsetText { get; init; } = "0";

    public bool NoBroker { get; init; }

    /// <summary>Parent of each service's data directory; null means <c>.bridge/</c> in the repository root.</summary>
    public string? DataDirectory { get; init; }

    public bool Runs(ServiceName service) => !Without.Contains(service.Name);

    public int PortOf(ServiceName service) => service.DefaultPort + PortOffset;

    /// <summary>The first thing wrong with these options, or null.</summary>
    public EarlyExit? Problem()
    {
        if (Without.FirstOrDefault(name => ServiceName.Find(name) is null) is { } unknownService)
        {
            return EarlyExit.Usage($"--without: unknown service '{unknownService}'. Known services: {string.Join(", ", ServiceName.All.Select(s => s.Name))}.");
        }

        if (ServiceName.All.All(service => !Runs(service)))
        {
            return EarlyExit.Usage("every service is excluded with --without; nothing would run.");
        }

        if (Teacher is not null && TeacherProviders.Unknown(Teacher) is { } unknownTeacher)
        {
            return EarlyExit.Usage($"--teacher: unknown provider '{unknownTeacher}'. Known providers: {string.Join(", ", TeacherProviders.Known)}.");
        }

        return PortOffset is < 0 or > MaxPortOffset
            ? EarlyExit.Usage($"--port-offset needs a whole number from 0 to {MaxPortOffset} (got {PortOffsetText}).")
            : null;
    }

    public static BridgeOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var offsetText = section[nameof(PortOffset)];
        return new BridgeOptions
        {
            Without = [.. section.GetSection(nameof(Without)).GetChildren().Select(c => ServiceName.Find(c.Value ?? string.Empty)?.Name ?? c.Value ?? string.Empty)],
            Teacher = string.IsNullOrWhiteSpace(section[nameof(Teacher)]) ? null : section[nameof(Teacher)]!.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
            PortOffset = string.IsNullOrWhiteSpace(offsetText) ? 0 : int.TryParse(offsetText, out var offset) ? offset : -1,
            PortOffsetText = offsetText ?? "0",
            NoBroker = bool.TryParse(section[nameof(NoBroker)], out var noBroker) && noBroker,
            DataDirectory = string.IsNullOrWhiteSpace(section[nameof(DataDirectory)]) ? null : Path.GetFullPath(section[nameof(DataDirectory)]!),
        };
    }
}

/// <summary>The provider names LlmServer understands in <c>Teacher:Chain</c> (docs/contracts.md).</summary>
public static class TeacherProviders
{
    public static readonly IReadOnlyList<string> Known = ["auto", "embedded", "ollama", "openai", "gemini", "claude"];

    /// <summary>The first name in a comma-separated chain that LlmServer would not know, or null.</summary>
    public static string? Unknown(string chain) =>
        chain.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(name => !Known.Contains(name.ToLowerInvariant()));
}
