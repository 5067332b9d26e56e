using System.Net;
using System.Text.Json;
using Bridge.Testing.OpenApi;
using LlmServer.Tests.Doubles;

namespace LlmServer.Tests.Apis;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Every_endpoint_is_in_the_openapi_document_and_the_scalar_ui_serves_it()
    {
        await using var server = LlmServerFactory.With(("Teacher:Chain", "embedded"));
        using var client = server.CreateClient();
        var document = await client.GetStringAsync("/openapi/v1.json");

        OpenApiCoverage.Served(server.Services).ShouldContain("POST /api/chat");
        OpenApiCoverage.Undocumented(server.Services, document).ShouldBeEmpty("endpoints missing from /openapi/v1.json");
        OpenApiCoverage.Undocumented(server.Services, """{"paths": {}}""").ShouldContain("POST /api/chat", "the check must see a missing endpoint");
        using var json = JsonDocument.Parse(document);
        json.RootElement.GetProperty("paths").GetProperty("/api/chat").GetProperty("post").TryGetProperty("requestBody", out _)
            .ShouldBeTrue("POST /api/chat documents its request body");
        (await client.GetAsync("/scalar/v1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
