using System.Net;
using System.Text;
using System.Text.Json;

namespace Middleware.Tests.Routing;

/// <summary>Bad teacher pools, strategies and curricula in the start body are the caller's mistake: 400 problem+json naming the field.</summary>
public sealed class TeacherPoolInputTests(ControlApiFixture fixture) : IClassFixture<ControlApiFixture>
{
    private HttpClient Client => fixture.Host.Client;

    [Theory]
    [InlineData("""{"teachers": []}""", "teachers", "empty pool")]
    [InlineData("""{"teachers": ["nosuch/model-1"]}""", "teachers", "unknown teacher")]
    [InlineData("""{"teachers": ["ollama/gemma3:1b", "ollama/gemma3:1b"]}""", "teachers", "twice")]
    [InlineData("""{"teachers": ["ollama/"]}""", "teachers", "empty model")]
    [InlineData("""{"teachers": [""]}""", "teachers", "provider/model")]
    [InlineData("""{"teachers": [null]}""", "teachers", "provider/model")]
    [InlineData("""{"teachers": ["ollama/gemma3 1b"]}""", "teachers", "spaces")]
    [InlineData("""{"teachers": ["embedded"], "routing": "best"}""", "routing", "learned")]
    [InlineData("""{"curriculum": "random"}""", "curriculum", "adaptive")]
    public async Task Start_with_a_bad_teacher_pool_or_strategy_returns_a_validation_problem_naming_it(string body, string field, string hint)
    {
        using var response = await Client.PostAsync("/api/training/start", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ControlApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty(field).ToString().ShouldContain(hint);
    }

    [Theory]
    [InlineData("""{"teachers": "ollama/gemma3:1b"}""")]
    [InlineData("""{"teachers": [1, 2]}""")]
    [InlineData("""{"teachers": {"ollama": "gemma3:1b"}}""")]
    [InlineData("""{"topics": "sometimes"}""")]
    public async Task Start_with_malformed_teachers_or_topics_returns_a_problem(string body)
    {
        using var response = await Client.PostAsync("/api/training/start", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await ControlApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
        problem.Str("detail").ShouldContain("JSON");
    }

    [Fact]
    public async Task Teachers_of_an_unknown_or_malformed_session_are_problems()
    {
        using var unknown = await Client.GetAsync($"/api/training/teachers?session_id={Guid.NewGuid()}");
        await ControlApiTests.ShouldBeProblemAsync(unknown, HttpStatusCode.NotFound);

        using var malformed = await Client.GetAsync("/api/training/teachers?session_id=not-a-guid");
        await ControlApiTests.ShouldBeProblemAsync(malformed, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task With_no_pool_configured_the_record_is_empty()
    {
        using var response = await Client.GetAsync("/api/training/teachers");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("teachers").GetArrayLength().ShouldBe(0);
    }
}
