using Middleware.Sessions;

namespace Middleware.Infrastructure;

/// <summary>
/// Keeps one session's file current at a cost per exchange that does not grow with the session. A whole rewrite
/// (temporary file + rename: readers only ever see whole documents) is due once the exchanges stored since the last
/// one reach 1/<see cref="RewriteFraction"/> of the session, so a session of n exchanges is written about
/// <see cref="RewriteFraction"/> × ln(n) times in all: each exchange's line is written about <see cref="RewriteFraction"/>
/// times, whatever n is, and the file lags the store by at most 1/<see cref="RewriteFraction"/> of the session
/// (every exchange up to <see cref="RewriteFraction"/> exchanges). Rewrites run off the exchange loop, one at a time;
/// the store is the record, so a crash between rewrites loses nothing: the file is rebuilt when the session resumes.
/// </summary>
public sealed class SessionLogFile(SessionLogWriter writer, SessionStore store, ILogger logger) : IAsyncDisposable
{
    public const int RewriteFraction = 32;

    private Task _writing = Task.CompletedTask;
    private int _written = -1;
    private long _bytesWritten;

    /// <summary>Bytes this runner wrote to the file so far (every rewrite counted whole).</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Completes when no rewrite is under way.</summary>
    public Task WhenIdleAsync() => _writing.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>After an exchange is stored: starts a rewrite in the background when one is due and none is running.</summary>
    public void ExchangeStored(SessionRecord session)
    {
        var since = session.Exchanges - _written;
        if (!_writing.IsCompleted || since <= 0 || (long)since * RewriteFraction < session.Exchanges)
        {
            return;
        }

        _written = session.Exchanges;
        // Not fsynced: the store is the record, and the file is rewritten at the next start and durably at the end.
        _writing = Task.Run(() => WriteAsync(session, durable: false));
    }

    /// <summary>Writes the file now (after any rewrite under way): at a runner's start and at the session's end.</summary>
    public async Task WriteNowAsync(SessionRecord session)
    {
        await _writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _written = session.Exchanges;
        await WriteAsync(session, durable: true);
    }

    public async ValueTask DisposeAsync() => await _writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private async Task WriteAsync(SessionRecord session, bool durable)
    {
        try
        {
            writer.RemoveLeftovers(session.LogFile);
            var bytes = await writer.WriteAsync(
                session, store.StreamCompletedExchangesAsync(session.SessionId, 0, session.Exchanges, CancellationToken.None), durable, CancellationToken.None);
            Interlocked.Add(ref _bytesWritten, bytes);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store stays the source of truth; the next due rewrite tries again.
            _written = -1;
            logger.LogWarning(ex, "Session {SessionId}: could not write log {LogFile}", session.SessionId, session.LogFile);
        }
    }
}
