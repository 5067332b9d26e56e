using System.Diagnostics;

namespace Bridge.IntegrationTests.Infrastructure;

public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds, bounded by <paramref name="timeout"/> and a number of reads;
    /// returns the last value read (the caller's assertion then says what it was).</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, int maxReads = 2000)
    {
        var clock = Stopwatch.StartNew();
        var value = await read();
        for (var reads = 1; !done(value) && clock.Elapsed < timeout && reads < maxReads; reads++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            value = await read();
        }

        return value;
    }
}
