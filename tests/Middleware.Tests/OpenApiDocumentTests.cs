using System.Net;
using System.Text.Json;
using Bridge.Testing.OpenApi;

namespace Middleware.Tests;

public sealed class OpenApiDocumentTests : PeerDoublesTest
{
    [Fact]
    public async Task Every_endpoint_is_in_the_openapi_document_and_the_scalar_ui_serves_it()
    {
        await using var host = MiddlewareHost.Start(Files, Cerebrum.Address, Llm.Address);
        var document = await host.Client.GetStringAsync("/openapi/v1.json");

        OpenApiCoverage.Served(host.Services).ShouldContain("POST /api/training/start");
        OpenApiCoverage.Undocumented(host.Services, document).ShouldBeEmpty("endpoints missing from /openapi/v1.json");
        OpenApiCoverage.Undocumented(host.Services, """{"paths": {}}""").ShouldContain("POST /api/training/start", "the check must see a missing endpoint");
        using var json = JsonDocument.Parse(document);
        json.RootElement.GetProperty("paths").GetProperty("/api/training/start").GetProperty("post").GetProperty("responses")
            .TryGetProperty("400", out _).ShouldBeTrue("POST /api/training/start documents its validation problem");
        (await host.Client.GetAsync("/scalar/v1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
