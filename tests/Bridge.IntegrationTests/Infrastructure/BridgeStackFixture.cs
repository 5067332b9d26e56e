namespace Bridge.IntegrationTests.Infrastructure;

/// <summary>One stack for every test of a collection (started once: three .NET processes cost seconds on 2 cores).</summary>
public sealed class BridgeStackFixture : IAsyncLifetime
{
    public BridgeStack Stack { get; private set; } = null!;

    public async Task InitializeAsync() => Stack = await BridgeStack.StartAsync();

    public async Task DisposeAsync()
    {
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedStackCollection : ICollectionFixture<BridgeStackFixture>
{
    public const string Name = "Shared Bridge stack (HTTP mode)";
}
