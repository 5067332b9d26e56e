using System.Diagnostics;

namespace Bridge.Testing;

/// <summary>Waits for something observable, bounded both in time and in the number of reads (so a read that fails
/// fast cannot spin), never by sleeping a guessed duration.</summary>
public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds, the timeout passes or the reads run out; returns the last value
    /// read (the caller's assertion then says what it was).</summary>
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, int maxReads = 2000, TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var value = await read();
        for (var reads = 1; !done(value) && clock.Elapsed < timeout && reads < maxReads; reads++)
        {
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(250), cancellationToken);
            value = await read();
        }

        return value;
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; throws a <see cref="TimeoutException"/>
    /// naming <paramref name="what"/> when it never does.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, int maxReads = 600)
    {
        if (!await UntilAsync(condition, held => held, timeout, maxReads, TimeSpan.FromMilliseconds(100)))
        {
            throw new TimeoutException($"Gave up after {timeout.TotalSeconds} s waiting for: {what}");
        }
    }
}
