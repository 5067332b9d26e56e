using Microsoft.Data.Sqlite;
using Middleware.Sessions;

namespace Middleware.Infrastructure;

/// <summary>The middleware's one SQLite file, shared by its stores (sessions, reviews, the teacher record): where it is
/// and how a connection to it is opened.</summary>
public static class MiddlewareDatabase
{
    /// <summary>The connection string for <see cref="MiddlewareOptions.DatabasePath"/>; creates its folder.</summary>
    public static string ConnectionString(MiddlewareOptions options)
    {
        var path = Path.GetFullPath(options.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString();
    }

    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
