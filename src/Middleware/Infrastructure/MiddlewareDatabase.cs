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

    /// <summary>
    /// Opens a connection with <c>synchronous = NORMAL</c> (a per-connection setting, so every store gets it here). In
    /// WAL mode a commit then survives a killed process (the WAL is in the OS's page cache the moment it returns) without
    /// an fsync per commit; only a power loss or kernel crash can take back the commits since the last checkpoint.
    /// </summary>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Refuses a file whose part (<paramref name="what"/>, versioned in <paramref name="schemaTable"/>) was
    /// written by a newer middleware, rather than misreading it.</summary>
    public static async Task RequireKnownSchemaAsync(SqliteConnection connection, string schemaTable, int known, string what, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version FROM {schemaTable} LIMIT 1";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (version > known)
        {
            throw new InvalidOperationException(
                $"The {what} of {connection.DataSource} has schema version {version}; this middleware knows up to {known}. Use a newer middleware.");
        }
    }
}
