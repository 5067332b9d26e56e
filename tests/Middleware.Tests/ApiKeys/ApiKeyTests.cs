using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Middleware.Infrastructure;

namespace Middleware.Tests.ApiKeys;

/// <summary>
/// With <c>Middleware:ApiKey</c> and <c>Middleware:ApiKeys</c> set, over real HTTP on Kestrel: every route the middleware
/// maps (enumerated, not listed by hand) refuses a call without a valid key and serves one with any configured key in
/// either header form; the probes and the dashboard stay open; the key never travels on to Cerebrum or LlmServer.
/// </summary>
public sealed class ApiKeyTests : PeerDoublesTest
{
    public const string Key = "k3y-Current_0123456789abcdef";
    public const string NextKey = "k3y-Next_fedcba9876543210";
    public const string RetiringKey = "k3y-Retiring_5555aaaa";
    private const string WrongKey = "k3y-Wrong_guess000111";

    public static readonly IReadOnlyDictionary<string, string?> KeySettings = new Dictionary<string, string?>
    {
        ["Middleware:ApiKey"] = Key,
        ["Middleware:ApiKeys:0"] = NextKey,
        ["Middleware:ApiKeys:1"] = RetiringKey,
        // A session started by the route matrix stays short.
        ["Training:MaxExchanges"] = "2",
        ["Training:Delay"] = "0",
    };

    private MiddlewareHost _host = null!;

    private HttpClient Client => _host.Client;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address, new Dictionary<string, string?>(KeySettings));
    }

    public override async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public void The_route_list_comes_from_the_app_and_holds_the_control_api_the_event_stream_and_both_pass_throughs()
    {
        var patterns = MiddlewareRoutes.Guarded(_host.Services).Select(r => r.Pattern).ToList();

        patterns.ShouldContain("/api/training/status");
        patterns.ShouldContain("/api/training/events");
        patterns.ShouldContain("/api/broker/topology");
        patterns.ShouldContain("/api/cerebrum/{**catch-all}");
        patterns.ShouldContain("/api/llm/{**catch-all}");
        patterns.ShouldNotContain("/health");
        patterns.ShouldNotContain("/alive");
    }

    [Fact]
    public async Task Every_route_without_a_key_or_with_a_wrong_one_answers_401_problem_json_and_reaches_no_peer()
    {
        var failures = new List<string>();
        foreach (var route in MiddlewareRoutes.Guarded(_host.Services))
        {
            foreach (var (form, credential) in new (string, Action<HttpRequestMessage>?)[]
            {
                ("no key", null),
                ("wrong X-Api-Key", r => r.Headers.Add("X-Api-Key", WrongKey)),
                ("wrong Bearer", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WrongKey)),
                ("Basic instead of Bearer", r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", Key)),
            })
            {
                using var response = await route.SendAsync(Client, "refused", credential);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Unauthorized
                    || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                    || !text.Contains("\"status\":401", StringComparison.Ordinal)
                    || !text.Contains("X-Api-Key", StringComparison.Ordinal)
                    || text.Contains(WrongKey, StringComparison.Ordinal)
                    || !response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer"))
                {
                    failures.Add($"{route} with {form}: {(int)response.StatusCode} {response.Content.Headers.ContentType} {text}");
                }
            }
        }

        failures.ShouldBeEmpty();
        Cerebrum.Seen.Concat(Llm.Seen).ShouldNotContain(r => r.Query.Contains("probe=refused", StringComparison.Ordinal), "a refused call reached a peer");
        (await _host.Services.GetRequiredService<SessionStore>().ListSessionsAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_route_serves_any_configured_key_as_X_Api_Key_or_as_a_bearer_token()
    {
        var failures = new List<string>();
        var calls = 0;
        foreach (var route in MiddlewareRoutes.Guarded(_host.Services))
        {
            foreach (var (form, credential) in new (string, Action<HttpRequestMessage>)[]
            {
                ("X-Api-Key (Middleware:ApiKey)", r => r.Headers.Add("X-Api-Key", Key)),
                ("Bearer (Middleware:ApiKeys:0)", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", NextKey)),
                ("X-Api-Key (Middleware:ApiKeys:1)", r => r.Headers.Add("X-Api-Key", RetiringKey)),
                ("lower-case bearer", r => r.Headers.TryAddWithoutValidation("Authorization", $"bearer {Key}")),
            })
            {
                var probe = $"p{++calls}";
                using var response = await route.SendAsync(Client, probe, credential);
                var status = (int)response.StatusCode;
                if (status is 401 or >= 500)
                {
                    failures.Add($"{route} with {form}: {status} {await response.Content.ReadAsStringAsync()}");
                }

                if (route.IsProxy && !Cerebrum.Seen.Concat(Llm.Seen).Any(r => r.Query.Contains($"probe={probe}", StringComparison.Ordinal)))
                {
                    failures.Add($"{route} with {form}: answered {status} but the call never reached the peer");
                }
            }
        }

        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_key_never_reaches_Cerebrum_or_LlmServer_whatever_form_it_came_in()
    {
        foreach (var route in MiddlewareRoutes.Guarded(_host.Services))
        {
            using var both = await route.SendAsync(Client, "both", r =>
            {
                r.Headers.Add("X-Api-Key", Key);
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", NextKey);
            });
            using var query = await route.SendAsync(Client, "query", r => r.Headers.Accept.ParseAdd("text/event-stream"), $"api_key={RetiringKey}");
        }

        // A session talks to both peers itself (the matrix's own start was stopped by its stop): run one to its first
        // exchange, so its calls are checked too.
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/training/start")
        {
            Headers = { { "X-Api-Key", Key } },
            Content = new StringContent("""{"max_exchanges": 1, "delay": 0}""", System.Text.Encoding.UTF8, "application/json"),
        };
        (await Client.SendAsync(start)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitUntilAsync(() => Cerebrum.Seen.Any(r => r.Path == "/api/chat") && Llm.Seen.Any(r => r.Path == "/api/chat"));

        var seen = Cerebrum.Seen.Concat(Llm.Seen).ToList();
        seen.ShouldContain(r => r.Query.Contains("probe=query", StringComparison.Ordinal), "no pass-through call reached a peer");
        foreach (var request in seen)
        {
            var text = request.ToString();
            text.ShouldNotContain(Key, Case.Sensitive, text);
            text.ShouldNotContain(NextKey, Case.Sensitive, text);
            text.ShouldNotContain(RetiringKey, Case.Sensitive, text);
            request.Headers.Keys.ShouldNotContain("X-Api-Key", text);
            request.Headers.Keys.ShouldNotContain("Authorization", text);
            request.Query.ShouldNotContain("api_key", Case.Insensitive, text);
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/app.js")]
    [InlineData("/app.css")]
    public async Task Health_probes_and_the_dashboard_files_are_open_without_a_key(string path)
    {
        using var response = await Client.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_event_stream_takes_the_key_as_a_query_parameter_because_an_EventSource_cannot_set_headers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/training/events?api_key={Uri.EscapeDataString(Key)}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
    }

    [Theory]
    [InlineData("/api/training/status")]
    [InlineData("/api/cerebrum/status")]
    public async Task A_key_in_the_url_of_an_ordinary_call_is_refused_because_urls_end_up_in_access_logs(string path)
    {
        using var response = await Client.GetAsync($"{path}?api_key={Uri.EscapeDataString(Key)}");

        await ControlApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);
        Cerebrum.Seen.ShouldNotContain(r => r.Path == "/api/status");
    }

    [Fact]
    public async Task Without_a_configured_key_every_route_is_open()
    {
        using var files = new MiddlewareFiles();
        await using var open = MiddlewareHost.Start(files, Cerebrum.Address, Llm.Address, new Dictionary<string, string?> { ["Middleware:ApiKey"] = "" });

        (await open.Client.GetAsync("/api/training/status")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await open.Client.GetAsync("/api/cerebrum/status")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_key_with_a_trailing_newline_stops_start_up_with_a_message_that_does_not_repeat_it()
    {
        using var files = new MiddlewareFiles();
        var (exitCode, output) = await MiddlewareProcess.RunToExitAsync(files, Cerebrum.Address, Llm.Address, [new("Middleware:ApiKeys:0", "pasted-from-a-file\n")]);

        exitCode.ShouldNotBe(0, output);
        output.ShouldContain("Middleware:ApiKeys:0 must be visible ASCII");
        output.ShouldNotContain("pasted-from-a-file");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        for (var i = 0; i < 600 && DateTime.UtcNow < deadline; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        condition().ShouldBeTrue("the condition did not hold within 30 s");
    }
}
