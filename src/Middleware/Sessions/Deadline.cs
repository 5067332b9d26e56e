namespace Middleware.Sessions;

/// <summary>
/// Runs a call to a peer (a bus request, publish or send, an HTTP request) under a deadline that fires whether or not
/// the call honours its cancellation token. MassTransit may not complete a send or a request, nor observe its token,
/// while its transport is reconnecting; awaiting such a call directly can block a session for ever.
/// </summary>
public static class Deadline
{
    public static async Task RunAsync(string what, TimeSpan deadline, Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await RunAsync(what, deadline, async token =>
        {
            await call(token);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Awaits <paramref name="call"/> for at most <paramref name="deadline"/>. When it fires the call's token is cancelled
    /// and the call is abandoned (its eventual outcome is observed and dropped), and <see cref="DeadlineExceededException"/>
    /// is thrown. A cancelled <paramref name="cancellationToken"/> abandons it the same way with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<T> RunAsync<T>(string what, TimeSpan deadline, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var callToken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        callToken.CancelAfter(deadline);
        Task<T>? task = null;
        try
        {
            task = call(callToken.Token);
            return await task.WaitAsync(deadline, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !IsOwnFailure(task, ex)
            && (ex is TimeoutException || ex is OperationCanceledException && callToken.IsCancellationRequested))
        {
            throw new DeadlineExceededException(what, deadline);
        }
        finally
        {
            if (task is null || task.IsCompleted)
            {
                callToken.Dispose();
            }
            else
            {
                // Abandoned: tell it to give up (off this path: a token callback may block, which is what we escape),
                // and keep the token alive until the call has ended, observing its outcome.
                var abandoned = task;
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await callToken.CancelAsync();
                        await abandoned;
                    }
                    catch (Exception)
                    {
                        // Nobody waits for this outcome any more.
                    }
                    finally
                    {
                        callToken.Dispose();
                    }
                }, CancellationToken.None);
            }
        }
    }

    /// <summary>True when the call itself failed with <paramref name="exception"/> (a client's own timeout, say) before the deadline.</summary>
    private static bool IsOwnFailure(Task? task, Exception exception) =>
        task is { IsFaulted: true } && task.Exception!.InnerExceptions.Contains(exception) && exception is not OperationCanceledException;
}

/// <summary>A call to a peer did not finish within its deadline. Transient: the session pauses, backs off and retries.</summary>
public sealed class DeadlineExceededException(string what, TimeSpan deadline)
    : TimeoutException($"{what} did not complete within its {deadline.TotalSeconds:0.##} s deadline")
{
    public string What { get; } = what;

    public TimeSpan Limit { get; } = deadline;
}
