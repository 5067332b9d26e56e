using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using Middleware.Sessions;

namespace Middleware.Infrastructure;

/// <summary>
/// Writes one JSON file per session, built from the store's append-only record of exchanges. The document is a fixed
/// header, one line per exchange and a short tail (<c>]</c>, <c>ended_at</c>, <c>status</c>, <c>end_reason</c>, <c>}</c>).
/// Appending an exchange is one positional write of that exchange's line plus a new tail where the old tail began, so
/// the bytes written per exchange do not grow with the session. A whole rebuild (temporary file + rename, so a reader
/// never sees half of one) happens only when a runner starts: it repairs whatever a crash left behind.
/// </summary>
public sealed class SessionLogWriter(IOptions<MiddlewareOptions> options)
{
    private static readonly JsonSerializerOptions IndentedJson = WireJson.Create(indented: true);
    private static readonly JsonSerializerOptions LineJson = WireJson.Create();
    private static readonly byte[] FirstSeparator = "\n    "u8.ToArray();
    private static readonly byte[] Separator = ",\n    "u8.ToArray();

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

    /// <summary>Writes the whole document from the store (streamed, never held in memory) and opens it for appending.</summary>
    public async Task<SessionLogFile> RebuildAsync(SessionRecord session, IAsyncEnumerable<SessionLogExchange> exchanges, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var target = Path.Combine(Directory, session.LogFile);
        var temporary = Path.Combine(Directory, $".{session.LogFile}.{Guid.NewGuid():N}.tmp");
        long tailOffset;
        var count = 0;
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(Header(session), cancellationToken);
                await foreach (var exchange in exchanges.WithCancellation(cancellationToken))
                {
                    await stream.WriteAsync(Line(exchange, count == 0), cancellationToken);
                    count++;
                }

                tailOffset = stream.Position;
                await stream.WriteAsync(Tail(session, 0), cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
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

        var handle = File.OpenHandle(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        return new SessionLogFile(handle, tailOffset, count, RandomAccess.GetLength(handle));
    }

    /// <summary>One write at the old tail's offset: the exchange's line, then the tail again.</summary>
    public Task AppendAsync(SessionLogFile file, SessionLogExchange exchange, SessionRecord session, CancellationToken cancellationToken)
    {
        var line = Line(exchange, file.Count == 0);
        var tail = Tail(session, file.Length - file.TailOffset - line.Length);
        var bytes = new byte[line.Length + tail.Length];
        line.CopyTo(bytes, 0);
        tail.CopyTo(bytes, line.Length);
        return WriteAtTailAsync(file, bytes, line.Length, 1, cancellationToken);
    }

    /// <summary>Rewrites the tail only (status, end), e.g. when the session ends.</summary>
    public Task WriteEndAsync(SessionLogFile file, SessionRecord session, CancellationToken cancellationToken) =>
        WriteAtTailAsync(file, Tail(session, file.Length - file.TailOffset), 0, 0, cancellationToken);

    private static async Task WriteAtTailAsync(SessionLogFile file, byte[] bytes, int lineLength, int added, CancellationToken cancellationToken)
    {
        // One positional write: the document is whole before it and after it.
        await RandomAccess.WriteAsync(file.Handle, bytes, file.TailOffset, cancellationToken);
        file.Advanced(lineLength, added, Math.Max(file.Length, file.TailOffset + bytes.Length));
    }

    private static byte[] Header(SessionRecord session)
    {
        // The indented header object without its closing brace, then the opening of the exchange array.
        var json = JsonSerializer.Serialize(SessionLogHeader.From(session), IndentedJson);
        return Encoding.UTF8.GetBytes(json[..json.LastIndexOf('}')].TrimEnd() + ",\n  \"exchanges\": [");
    }

    private static byte[] Line(SessionLogExchange exchange, bool first)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(exchange, LineJson);
        var separator = first ? FirstSeparator : Separator;
        var bytes = new byte[separator.Length + json.Length];
        separator.CopyTo(bytes, 0);
        json.CopyTo(bytes, separator.Length);
        return bytes;
    }

    /// <summary>The closing part; padded with spaces (valid trailing JSON whitespace) to at least
    /// <paramref name="minimumLength"/> bytes so that no byte of an older, longer tail survives after it.</summary>
    private static byte[] Tail(SessionRecord session, long minimumLength)
    {
        var json = JsonSerializer.Serialize(SessionLogEnd.From(session), IndentedJson);
        var tail = "\n  ]," + json[(json.IndexOf('{') + 1)..] + "\n";
        return Encoding.UTF8.GetBytes(tail.Length < minimumLength ? tail.PadRight((int)minimumLength - 1) + "\n" : tail);
    }
}

/// <summary>An open session log: where its tail starts, how many exchanges it holds. Owned by one runner.</summary>
public sealed class SessionLogFile(SafeFileHandle handle, long tailOffset, int count, long length) : IDisposable
{
    public SafeFileHandle Handle { get; } = handle;

    public long TailOffset { get; private set; } = tailOffset;

    public int Count { get; private set; } = count;

    public long Length { get; private set; } = length;

    internal void Advanced(int lineLength, int added, long length)
    {
        TailOffset += lineLength;
        Count += added;
        Length = length;
    }

    public void Dispose() => Handle.Dispose();
}
