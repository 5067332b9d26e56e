using System.Net;
using System.Text.Json;
using Middleware.Tests.Doubles;

namespace Middleware.Tests;

public sealed class EmptyMiddlewareTests : IAsyncLifetime
{
    private readonly MiddlewareFiles _files = new();
    private MiddlewareHost _host = null!;

    public Task InitializeAsync()
    {
        var nowhere = $"http://127.0.0.1:{PeerDouble.UnusedPort()}";
        _host = MiddlewareHost.Start(_files, nowhere, nowhere);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _files.Dispose();
    }

    [Fact]
    public async Task Before_any_session_the_log_is_not_found_and_the_status_is_idle()
    {
        using var log = await _host.Client.GetAsync("/api/training/log");
        await ControlApiTests.ShouldBeProblemAsync(log, HttpStatusCode.NotFound);

        var status = await _host.GetJsonAsync("/api/training/status");
        status.Str("status").ShouldBe("idle");
        status.GetProperty("running").GetBoolean().ShouldBeFalse();
        status.GetProperty("sessions").GetArrayLength().ShouldBe(0);

        var sessions = await _host.GetJsonAsync("/api/training/sessions");
        sessions.Int("count").ShouldBe(0);
        sessions.GetProperty("sessions").ValueKind.ShouldBe(JsonValueKind.Array);
    }
}
