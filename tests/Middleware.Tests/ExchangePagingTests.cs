using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Middleware.Tests;

/// <summary><c>?after=&lt;sequence&gt;&amp;limit=</c> on the log and the session: bounded pages, a total, and the next page's address.</summary>
public sealed class ExchangePagingTests : PeerDoublesTest
{
    [Fact]
    public async Task The_log_without_paging_shows_the_whole_session_in_one_page()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var id = await host.StartSessionAsync(new { max_exchanges = 12, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        // The seed's command, verbatim.
        var log = await host.GetJsonAsync("/api/training/log");
        log.GetProperty("exchanges").EnumerateArray().Select(e => e.Int("sequence")).ShouldBe(Enumerable.Range(1, 12));
        log.Int("total").ShouldBe(12);
        log.Int("limit").ShouldBe(1000);
        log.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
        log.GetProperty("next_after").ValueKind.ShouldBe(JsonValueKind.Null);
        log.Str("status").ShouldBe("completed");
    }

    [Fact]
    public async Task Following_next_walks_the_log_page_by_page_with_each_exchange_once()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var id = await host.StartSessionAsync(new { max_exchanges = 11, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        var seen = new List<int>();
        var pages = 0;
        string? next = $"/api/training/log?session_id={id}&limit=4";
        while (next is not null && pages < 10)
        {
            var page = await host.GetJsonAsync(next);
            page.Int("total").ShouldBe(11);
            page.Str("session_id").ShouldBe(id.ToString());
            var exchanges = page.GetProperty("exchanges").EnumerateArray().ToList();
            exchanges.Count.ShouldBeLessThanOrEqualTo(4);
            seen.AddRange(exchanges.Select(e => e.Int("sequence")));
            next = page.GetProperty("next").GetString();
            pages++;
        }

        pages.ShouldBe(3);
        seen.ShouldBe(Enumerable.Range(1, 11));
    }

    [Fact]
    public async Task A_session_shows_a_page_of_its_exchanges_under_log()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var id = await host.StartSessionAsync(new { max_exchanges = 6, delay = 0 });
        await host.WaitForSessionAsync(id, s => s.Str("status") == "completed");

        var session = await host.GetJsonAsync($"/api/training/sessions/{id}?after=2&limit=3");
        session.Int("exchanges").ShouldBe(6);
        session.Str("status").ShouldBe("completed");
        var log = session.GetProperty("log");
        log.GetProperty("exchanges").EnumerateArray().Select(e => e.Int("sequence")).ShouldBe([3, 4, 5]);
        log.Int("total").ShouldBe(6);
        log.Int("next_after").ShouldBe(5);
        log.Str("next").ShouldBe($"/api/training/sessions/{id}?after=5&limit=3");

        var last = (await host.GetJsonAsync(log.Str("next"))).GetProperty("log");
        last.GetProperty("exchanges").EnumerateArray().Select(e => e.Int("sequence")).ShouldBe([6]);
        last.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);

        var beyond = (await host.GetJsonAsync($"/api/training/sessions/{id}?after=6")).GetProperty("log");
        beyond.GetProperty("exchanges").GetArrayLength().ShouldBe(0);
        beyond.GetProperty("next").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("after=-1", "after")]
    [InlineData("after=1.5", "after")]
    public async Task Bad_paging_is_a_validation_problem_naming_the_parameter(string query, string field)
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var id = await host.StartSessionAsync(new { max_exchanges = 1, delay = 0 });

        foreach (var path in new[] { $"/api/training/log?session_id={id}&{query}", $"/api/training/sessions/{id}?{query}" })
        {
            using var response = await host.Client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, path);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldNotBeNullOrWhiteSpace();
        }
    }
}
