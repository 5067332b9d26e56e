namespace Ops.Tests.Infrastructure;

public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> until it holds, bounded in time and in attempts.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, int maxAttempts = 600)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (var attempt = 0; attempt < maxAttempts && DateTime.UtcNow < deadline; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Gave up after {timeout.TotalSeconds} s waiting for: {what}");
    }
}
