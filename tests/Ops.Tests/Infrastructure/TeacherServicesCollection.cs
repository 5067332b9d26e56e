namespace Ops.Tests.Infrastructure;

/// <summary>Services of their own for the teacher-pool tests: their sessions must not become the "latest session"
/// that the tests of <see cref="BridgeServicesCollection"/> read.</summary>
[CollectionDefinition(Name)]
public sealed class TeacherServicesCollection : ICollectionFixture<BridgeServices>
{
    public const string Name = "Real Bridge services (teacher pools)";
}
