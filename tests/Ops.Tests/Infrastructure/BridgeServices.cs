namespace Ops.Tests.Infrastructure;

/// <summary>
/// The three real services over HTTP (no broker) with the offline embedded teacher (Bridge.Testing's
/// <see cref="BridgeStack"/>), and the middleware's control API behind an API key.
/// </summary>
public sealed class BridgeServices : IAsyncLifetime
{
    public const string ApiKey = "ops-test-key";

    public BridgeStack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await BridgeStack.StartAsync(new BridgeStackOptions { ApiKey = ApiKey });

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BridgeServicesCollection : ICollectionFixture<BridgeServices>
{
    public const string Name = "Real Bridge services";
}
