using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Model;

namespace Middleware.Tests.ApiKeys;

/// <summary>One route of the running middleware as a request a client could send.</summary>
public sealed record RouteCall(string Method, string Pattern, string Path, bool IsProxy)
{
    /// <summary>Sends the call over real HTTP; only the headers are awaited (the event stream never ends). A probe
    /// marker in the query lets a test find the forwarded request at the peer.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, string probe, Action<HttpRequestMessage>? credential = null, string? extraQuery = null)
    {
        var query = $"?probe={probe}{(extraQuery is null ? "" : "&" + extraQuery)}";
        var request = new HttpRequestMessage(new HttpMethod(Method), Path + query);
        if (!HttpMethods.IsGet(Method) && !HttpMethods.IsDelete(Method) && !HttpMethods.IsHead(Method))
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        credential?.Invoke(request);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
    }

    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// Every route the middleware serves, read from its own <see cref="EndpointDataSource"/> (minimal APIs and the YARP
/// pass-throughs alike), so a route someone adds later is guarded by the same tests without editing them.
/// </summary>
public static class MiddlewareRoutes
{
    /// <summary>The only routes meant to answer without a key: the health probes.</summary>
    public static readonly IReadOnlyList<string> Open = ["/health", "/alive"];

    public static IReadOnlyList<RouteCall> Guarded(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !Open.Contains(e.RoutePattern.RawText, StringComparer.OrdinalIgnoreCase))
            .SelectMany(e => Methods(e).Select(method => new RouteCall(
                method,
                e.RoutePattern.RawText ?? "",
                Fill(e.RoutePattern),
                e.Metadata.GetMetadata<RouteModel>() is not null)))
            .OrderBy(c => c.Pattern, StringComparer.Ordinal).ThenBy(c => c.Method, StringComparer.Ordinal)];

    /// <summary>The route's methods; a route open to any method (the pass-throughs) is called with GET and POST.</summary>
    private static IEnumerable<string> Methods(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } methods ? methods : ["GET", "POST"];

    /// <summary>A concrete path: ids become GUIDs, a catch-all becomes <c>status</c> (a route every peer has).</summary>
    private static string Fill(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } => "status",
            RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content is "int" or "long") => "1",
            RoutePatternParameterPart => Guid.NewGuid().ToString(),
            _ => throw new InvalidOperationException($"Unknown route part in {pattern.RawText}"),
        }))));
}
