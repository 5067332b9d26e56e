using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Testing.OpenApi;

/// <summary>
/// Compares what a running app routes (its <see cref="EndpointDataSource"/>) with what its OpenAPI document lists, so an
/// endpoint added later without a description is caught with no test to update. Left out, by their own metadata:
/// endpoints marked <c>ExcludeFromDescription</c> (health probes, the document and its UI) and YARP's pass-through
/// routes (the peers document those paths themselves).
/// </summary>
public static class OpenApiCoverage
{
    /// <summary>"GET /api/x" for every served endpoint that <paramref name="documentJson"/> does not list.</summary>
    public static IReadOnlyList<string> Undocumented(IServiceProvider services, string documentJson)
    {
        using var document = JsonDocument.Parse(documentJson);
        var documented = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                documented.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
            }
        }

        return [.. Served(services).Where(endpoint => !documented.Contains(endpoint)).Order(StringComparer.Ordinal)];
    }

    /// <summary>"METHOD /path/{parameter}" for every routed endpoint meant for the document.</summary>
    public static IEnumerable<string> Served(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(endpoint => !endpoint.Metadata.Any(m => m.GetType().Namespace?.StartsWith("Yarp.", StringComparison.Ordinal) == true))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"])
                .Select(method => $"{method} {PathOf(endpoint.RoutePattern)}"))
            .Distinct();

    // As OpenAPI writes a path: parameters by name only, without constraints or catch-all markers.
    private static string PathOf(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => string.Empty,
        }))));
}
