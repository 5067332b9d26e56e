using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Middleware.Sessions;

namespace Middleware.Infrastructure;

/// <summary>
/// Writes one JSON file per session. Each write goes to a temporary file that then replaces the log in one rename,
/// so a reader always sees a whole document, never half of one.
/// </summary>
public sealed class SessionLogWriter(IOptions<MiddlewareOptions> options, Reviews.ReviewStore reviews, Routing.TeacherRecordStore? teachers = null)
{
    private static readonly JsonSerializerOptions JsonOptions = WireJson.Create(indented: true);

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

    public async Task WriteAsync(SessionLog log, string fileName, CancellationToken cancellationToken)
    {
        log = await reviews.AttachToAsync(log, cancellationToken);
        log = teachers is null ? log : await Routing.RoutingLogExtensions.AttachToAsync(teachers, log, cancellationToken);
        System.IO.Directory.CreateDirectory(Directory);
        var target = Path.Combine(Directory, fileName);
        var temporary = Path.Combine(Directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(stream, log, JsonOptions, cancellationToken);
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
    }
}
