using Middleware.Tests.Doubles;

namespace Middleware.Tests;

/// <summary>
/// The two peers a middleware talks to, as doubles speaking their real HTTP protocol, plus a fresh data directory:
/// started before each test (or fixture) and torn down after it. Tests start their own <see cref="MiddlewareHost"/>
/// on these, with whatever settings they are about.
/// </summary>
public abstract class PeerDoublesTest : IAsyncLifetime
{
    public CerebrumDouble Cerebrum { get; } = new();

    public LlmServerDouble Llm { get; } = new();

    public MiddlewareFiles Files { get; } = new();

    public virtual async Task InitializeAsync()
    {
        await Cerebrum.StartAsync();
        await Llm.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Cerebrum.DisposeAsync();
        await Llm.DisposeAsync();
        Files.Dispose();
    }
}
