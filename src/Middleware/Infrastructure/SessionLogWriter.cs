using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Middleware.Sessions;

namespace Middleware.Infrastructure;

/// <summary>
/// Writes one JSON file per session from the store's append-only record of exchanges, streamed (a session is never
/// held in memory). Each write goes to a temporary file that then replaces the log in one rename, so a reader always
/// sees a whole document, never half of one: a reader that opened the old file keeps reading the old file.
/// </summary>
public sealed class SessionLogWriter(IOptions<MiddlewareOptions> options, Reviews.ReviewStore? reviews = null, Routing.TeacherRecordStore? teachers = null)
{
    private static readonly JsonSerializerOptions IndentedJson = WireJson.Create(indented: true);
    private static readonly JsonSerializerOptions LineJson = WireJson.Create();
    private static readonly byte[] FirstSeparator = "\n    "u8.ToArray();
    private static readonly byte[] Separator = ",\n    "u8.ToArray();
    private static readonly byte[] EndOfExchanges = "\n  ],"u8.ToArray();

    public string Directory { get; } = Path.GetFullPath(options.Value.TrainingLogsPath);

    /// <summary><c>session_YYYYMMDD_HHMMSS.json</c> from the UTC start time; <c>_N</c> added while the name is taken.</summary>
    public async Task<string> ChooseFileNameAsync(DateTimeOffset startedAt, Func<string, Task<bool>> isTaken)
    {
        var stem = "session_" + startedAt.UtcDateTime.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture);
        var name = stem + ".json";
        for (var n = 2; File.Exists(Path.Combine(Directory, name)) || await isTaken(name); n++)
        {
            name = $"{stem}_{n}.json";
        }

        return name;
    }

    /// <summary>Writes the whole document: the header fields, <c>exchanges</c> with one exchange per line, then the
    /// fields that change when the session ends; <paramref name="durable"/>: fsynced before it replaces the old one.
    /// A killed process loses nothing either way (the page cache has the file); without the fsync a power loss may leave
    /// the file cut short, which only a running session's rewrites risk: the next start rewrites its file from the store.
    /// Returns the number of bytes written.</summary>
    public async Task<long> WriteAsync(SessionRecord session, IAsyncEnumerable<SessionLogExchange> exchanges, bool durable, CancellationToken cancellationToken)
    {
        // Each exchange's review lives in the review store; the file shows it beside the exchange.
        exchanges = reviews?.AttachTo(session.SessionId, exchanges, cancellationToken) ?? exchanges;
        exchanges = teachers is null ? exchanges : Routing.RoutingLogExtensions.AttachTo(teachers, session.SessionId, exchanges, cancellationToken);
        System.IO.Directory.CreateDirectory(Directory);
        var target = Path.Combine(Directory, session.LogFile);
        var temporary = Path.Combine(Directory, $".{session.LogFile}.{Guid.NewGuid():N}.tmp");
        long length;
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(Header(session), cancellationToken);
                var first = true;
                await foreach (var exchange in exchanges.WithCancellation(cancellationToken))
                {
                    // One compact line per exchange keeps a long file readable line by line.
                    await stream.WriteAsync(first ? FirstSeparator : Separator, cancellationToken);
                    await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(exchange, LineJson), cancellationToken);
                    first = false;
                }

                await WriteEndAsync(stream, SessionLogEnd.From(session), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                if (durable)
                {
                    stream.Flush(flushToDisk: true);
                }

                length = stream.Length;
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return length;
    }

    /// <summary>Temporary files a killed process left behind for this log.</summary>
    public void RemoveLeftovers(string logFile)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        foreach (var leftover in System.IO.Directory.EnumerateFiles(Directory, $".{logFile}.*.tmp"))
        {
            File.Delete(leftover);
        }
    }

    private static byte[] Header(SessionRecord session)
    {
        // The indented header object without its closing brace, then the opening of the exchange array.
        var json = JsonSerializer.Serialize(SessionLogHeader.From(session), IndentedJson);
        return Encoding.UTF8.GetBytes(json[..json.LastIndexOf('}')].TrimEnd() + ",\n  \"exchanges\": [");
    }

    private static async Task WriteEndAsync(Stream stream, SessionLogEnd end, CancellationToken cancellationToken)
    {
        // `{ "ended_at": …, … }` indented, its opening brace replaced by the end of the exchange array.
        var json = JsonSerializer.SerializeToUtf8Bytes(end, IndentedJson);
        await stream.WriteAsync(EndOfExchanges, cancellationToken);
        await stream.WriteAsync(json.AsMemory(1), cancellationToken);
        await stream.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }
}
