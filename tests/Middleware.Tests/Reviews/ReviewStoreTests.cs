using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Middleware.Reviews;
using Middleware.Sessions;

namespace Middleware.Tests.Reviews;

public sealed class ReviewStoreTests : IDisposable
{
    private readonly MiddlewareFiles _files = new();

    private ReviewStore NewStore() => new(Options.Create(new MiddlewareOptions { DatabasePath = _files.DatabasePath }));

    [Fact]
    public async Task The_review_table_records_its_schema_version_once()
    {
        await NewStore().InitializeAsync(CancellationToken.None);
        await NewStore().InitializeAsync(CancellationToken.None);

        await using var connection = new SqliteConnection($"Data Source={_files.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(version) FROM review_schema";
        (await command.ExecuteScalarAsync()).ShouldBe(ReviewStore.SchemaVersion.ToString());
    }

    [Fact]
    public async Task A_review_table_from_a_newer_middleware_is_refused_not_misread()
    {
        await NewStore().InitializeAsync(CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={_files.DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE review_schema SET version = 99";
            await command.ExecuteNonQueryAsync();
        }

        var failure = await Should.ThrowAsync<InvalidOperationException>(() => NewStore().InitializeAsync(CancellationToken.None));
        failure.Message.ShouldContain("schema version 99");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }
}
