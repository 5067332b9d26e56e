using Middleware.Events;
using Middleware.Extensions;
using Middleware.Sessions;

namespace Middleware.Tests;

public sealed class EventHubTests
{
    [Fact]
    public async Task A_subscriber_that_never_reads_loses_its_oldest_events_and_never_blocks_publishing()
    {
        var hub = new TrainingEventHub();
        using var slow = hub.Subscribe();
        using var reading = hub.Subscribe();

        var publishing = Task.Run(() =>
        {
            for (var i = 1; i <= 1000; i++)
            {
                hub.Publish(new TrainingEvent(TrainingEvent.ExchangeCompleted, i));
            }
        });
        await publishing.WaitAsync(TimeSpan.FromSeconds(10));

        var kept = new List<int>();
        while (slow.Reader.TryRead(out var e))
        {
            kept.Add((int)e.Payload);
        }

        kept.Count.ShouldBe(TrainingEventHub.SubscriberCapacity);
        kept.ShouldBe(Enumerable.Range(1000 - TrainingEventHub.SubscriberCapacity + 1, TrainingEventHub.SubscriberCapacity));
    }

    [Fact]
    public void A_disposed_subscription_stops_receiving_and_is_forgotten()
    {
        var hub = new TrainingEventHub();
        var subscription = hub.Subscribe();
        hub.SubscriberCount.ShouldBe(1);

        subscription.Dispose();
        hub.Publish(new TrainingEvent(TrainingEvent.SessionStarted, 1));

        hub.SubscriberCount.ShouldBe(0);
        subscription.Reader.Completion.IsCompleted.ShouldBeTrue();
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(6, 60)]
    [InlineData(40, 60)]
    public void Retry_waits_double_from_the_first_delay_up_to_the_cap(int attempt, double expectedSeconds)
    {
        var options = new MiddlewareOptions { RetryDelaySeconds = 2, MaxRetryDelaySeconds = 60 };
        ApplicationServiceExtensions.Backoff(attempt, options).ShouldBe(TimeSpan.FromSeconds(expectedSeconds));
    }

    [Theory]
    [InlineData(1, "a")]
    [InlineData(3, "a")]
    [InlineData(4, "b")]
    [InlineData(7, "c")]
    [InlineData(10, "a")]
    public void Topics_rotate_every_topic_switch_interval_exchanges(int sequence, string expected)
    {
        new SessionConfig(100, 0, ["a", "b", "c"], 3).TopicFor(sequence).ShouldBe(expected);
    }
}
