using System.Threading.Channels;

namespace Middleware.Events;

/// <summary>An event for live subscribers; <see cref="Name"/> is the SSE <c>event:</c> field.</summary>
public sealed record TrainingEvent(string Name, object Payload)
{
    public const string SessionStarted = "session_started";
    public const string ExchangeCompleted = "exchange_completed";
    public const string SessionEnded = "session_ended";
    public const string SessionStatus = "session_status";
}

/// <summary>
/// Fans training events out to live subscribers (the SSE endpoint). Each subscriber has its own bounded queue; one that
/// reads too slowly loses its oldest events instead of slowing the exchange loop.
/// </summary>
public sealed class TrainingEventHub
{
    public const int SubscriberCapacity = 256;

    private readonly Lock _gate = new();
    private volatile ImmutableSubscribers _subscribers = new([]);

    public int SubscriberCount => _subscribers.Writers.Count;

    public void Publish(TrainingEvent trainingEvent)
    {
        foreach (var writer in _subscribers.Writers)
        {
            writer.TryWrite(trainingEvent);
        }
    }

    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<TrainingEvent>(new BoundedChannelOptions(SubscriberCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_gate)
        {
            _subscribers = new([.. _subscribers.Writers, channel.Writer]);
        }

        return new Subscription(channel.Reader, () => Unsubscribe(channel.Writer));
    }

    private void Unsubscribe(ChannelWriter<TrainingEvent> writer)
    {
        lock (_gate)
        {
            _subscribers = new([.. _subscribers.Writers.Where(w => w != writer)]);
        }

        writer.TryComplete();
    }

    // Publish reads a snapshot without locking; subscribe/unsubscribe swap the whole list.
    private sealed record ImmutableSubscribers(IReadOnlyList<ChannelWriter<TrainingEvent>> Writers);

    public sealed class Subscription(ChannelReader<TrainingEvent> reader, Action unsubscribe) : IDisposable
    {
        public ChannelReader<TrainingEvent> Reader { get; } = reader;

        public void Dispose() => unsubscribe();
    }
}
