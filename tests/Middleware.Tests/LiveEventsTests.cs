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

    [Fact]
    public async Task With_a_pool_every_exchange_names_its_teacher_at_top_level_in_the_stream_the_log_and_the_file()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, new Dictionary<string, string?>
        {
            ["Training:Teachers"] = "embedded, ollama/gemma3:1b",
            ["Training:Routing"] = "round-robin",
            ["Training:Review"] = "off",
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/training/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var id = await host.StartSessionAsync(new { max_exchanges = 4, delay = 0 });

        var exchanges = new List<JsonElement>();
        string? name = null;
        for (var lines = 0; exchanges.Count < 4 && lines < 1000; lines++)
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("The event stream closed early.");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "exchange_completed")
            {
                exchanges.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone());
            }
        }

        string[] expected = ["embedded", "ollama/gemma3:1b", "embedded", "ollama/gemma3:1b"];
        exchanges.Select(e => e.Str("teacher")).ShouldBe(expected);
        exchanges.ShouldAllBe(e => e.Str("teacher") == e.GetProperty("routing").Str("teacher") && e.Str("teacher_message").StartsWith("Teacher turn"));

        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");
        var log = (await host.GetJsonAsync($"/api/training/log?session_id={id}")).GetProperty("exchanges").EnumerateArray().ToList();
        log.Select(e => e.Str("teacher_name")).ShouldBe(expected);
        log.ShouldAllBe(e => e.Str("teacher").StartsWith("Teacher turn"), "the log's teacher is still the teacher's words");
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(Directory.GetFiles(Files.LogsPath, "session_*.json").ShouldHaveSingleItem()));
        file.RootElement.GetProperty("exchanges").EnumerateArray().Select(e => e.Str("teacher_name")).ShouldBe(expected);
    }
}
