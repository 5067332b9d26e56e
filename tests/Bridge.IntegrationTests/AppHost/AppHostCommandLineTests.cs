using System.Net;
using System.Net.Sockets;
using Bridge.IntegrationTests.Infrastructure;

namespace Bridge.IntegrationTests.AppHost;

/// <summary>What the AppHost says before it starts anything (docs/apphost.md): help, refused options, a taken port.</summary>
public sealed class AppHostCommandLineTests
{
    [Fact]
    public async Task Help_lists_every_option_and_exits_zero()
    {
        var (exitCode, output) = await AppHostProcess.RunToExitAsync(0, "--help");

        exitCode.ShouldBe(0);
        foreach (var option in new[] { "--without", "--teacher", "--port-offset", "--no-broker", "--data-dir", "http://localhost:18888" })
        {
            output.ShouldContain(option);
        }
    }

    [Theory]
    [InlineData("--frobnicate", "unknown option '--frobnicate'")]
    [InlineData("--teacher=oracle", "unknown provider 'oracle'")]
    [InlineData("--without=database", "unknown service 'database'")]
    [InlineData("--port-offset=lots", "--port-offset needs a whole number")]
    public async Task A_refused_option_is_named_and_exits_with_the_usage_code(string argument, string message)
    {
        var (exitCode, output) = await AppHostProcess.RunToExitAsync(FreePorts.NextAppHostOffset(), argument);

        exitCode.ShouldBe(2, output);
        output.ShouldContain(message);
        output.ShouldContain("--help");
        output.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task A_taken_port_is_named_with_the_option_to_use_and_nothing_starts()
    {
        var offset = FreePorts.NextAppHostOffset();
        using var squatter = new TcpListener(IPAddress.Loopback, 8001 + offset);
        squatter.Start();

        var (exitCode, output) = await AppHostProcess.RunToExitAsync(offset, "--no-broker");

        exitCode.ShouldBe(3, output);
        output.ShouldContain($"port {8001 + offset} (llmserver) is already in use");
        output.ShouldContain("--port-offset");
        output.ShouldNotContain("   at ");
        output.ShouldNotContain("Distributed application starting", customMessage: "nothing may start when a port is taken");
    }
}
