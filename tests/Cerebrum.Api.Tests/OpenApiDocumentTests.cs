using System.Net;
using System.Text.Json;
using Bridge.Testing.OpenApi;

namespace Cerebrum.Api.Tests;

public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cerebrum-openapi-").FullName;

    [Fact]
    public async Task Every_endpoint_is_in_the_openapi_document_and_the_scalar_ui_serves_it()
    {
        using var host = new CerebrumHost(Path.Combine(_directory, "cerebrum.db"));
        var document = await host.Client.GetStringAsync("/openapi/v1.json");

        OpenApiCoverage.Served(host.Services).ShouldContain("POST /api/chat");
        OpenApiCoverage.Undocumented(host.Services, document).ShouldBeEmpty("endpoints missing from /openapi/v1.json");
        OpenApiCoverage.Undocumented(host.Services, """{"paths": {}}""").ShouldContain("POST /api/chat", "the check must see a missing endpoint");
        using var json = JsonDocument.Parse(document);
        json.RootElement.GetProperty("paths").GetProperty("/api/chat").GetProperty("post").TryGetProperty("requestBody", out _)
            .ShouldBeTrue("POST /api/chat documents its request body");
        (await host.Client.GetAsync("/scalar/v1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
