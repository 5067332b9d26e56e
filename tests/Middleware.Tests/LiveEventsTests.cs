using System.Net.Http.Headers;
using System.Text.Json;
using Middleware.Tests.Doubles;

namespace Middleware.Tests;

public sealed class LiveEventsTests : PeerDoublesTest
{
    [Fact]
    public async Task The_event_stream_delivers_session_start_each_exchange_and_the_end()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/training/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var id = await host.StartSessionAsync(new { max_exchanges = 3, delay = 0 });

        var events = new List<(string Name, JsonElement Data)>();
        string? name = null;
        while (!events.Any(e => e.Name == "session_ended") && events.Count < 100)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("The event stream closed early.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((name!, JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone()));
            }
        }

        var mine = events.Where(e => e.Data.Str("session_id") == id.ToString()).ToList();
        mine.First(e => e.Name != "session_status").Name.ShouldBe("session_started");
        var exchanges = mine.Where(e => e.Name == "exchange_completed").Select(e => e.Data).ToList();
        exchanges.Select(e => e.Int("sequence")).ShouldBe([1, 2, 3]);
        exchanges.ShouldAllBe(e => e.Str("exchange_id").StartsWith(id.ToString()) && e.Str("learner_response").StartsWith("I heard"));
        var ended = mine.Single(e => e.Name == "session_ended").Data;
        ended.Str("reason").ShouldBe("completed");
        ended.Int("exchanges").ShouldBe(3);
    }
}
