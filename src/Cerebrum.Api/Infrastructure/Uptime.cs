namespace Cerebrum.Api.Infrastructure;

/// <summary>How long this process has been serving.</summary>
public sealed class Uptime(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();

    public double Seconds => time.GetElapsedTime(_started).TotalSeconds;
}
