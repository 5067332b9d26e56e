using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Middleware.Apis;

/// <summary>
/// With a key configured, every request that reaches routing needs one: the control API, the event stream, topology
/// removal and the YARP pass-throughs alike, and any route added later. Only <c>/health</c>, <c>/alive</c> (probes)
/// and the dashboard's static files (served before this runs) stay open. Answers 401 problem+json otherwise.
/// </summary>
public sealed partial class ApiKeyMiddleware(RequestDelegate next, IOptionsMonitor<ApiKeyOptions> options, ILogger<ApiKeyMiddleware> logger)
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>Browsers cannot set headers on an <c>EventSource</c>, so an event-stream request may carry the key here.</summary>
    public const string QueryName = "api_key";

    /// <summary>Probes (compose, the AppHost, Kubernetes) carry no key; these routes tell only whether the process is up.</summary>
    private static readonly string[] OpenRoutes = ["/health", "/alive"];

    public Task InvokeAsync(HttpContext context)
    {
        var keys = options.CurrentValue.Keys;
        if (keys.Count == 0 || IsOpen(context))
        {
            return next(context);
        }

        var (given, source) = ReadCredential(context.Request);
        if (given is not null && Matches(given, keys))
        {
            return next(context);
        }

        return RefuseAsync(context, source);
    }

    /// <summary>Where the caller put the key, in order: <c>X-Api-Key</c>, <c>Authorization: Bearer</c>, and
    /// (event streams only) <c>?api_key=</c>. A key in any other URL is not accepted: URLs end up in proxies' access logs.</summary>
    private static (string? Key, string? Source) ReadCredential(HttpRequest request)
    {
        if (request.Headers[HeaderName].FirstOrDefault() is { } header)
        {
            return (header, $"header {HeaderName}");
        }

        if (request.Headers.Authorization.FirstOrDefault() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (authorization["Bearer ".Length..].Trim(), "the Authorization: Bearer header");
        }

        if (IsEventStreamRequest(request) && request.Query[QueryName].FirstOrDefault() is { } query)
        {
            return (query, $"query parameter {QueryName}");
        }

        return (null, null);
    }

    private static bool IsEventStreamRequest(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));

    private static bool IsOpen(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint endpoint
        && OpenRoutes.Contains(endpoint.RoutePattern.RawText, StringComparer.OrdinalIgnoreCase);

    /// <summary>Compares SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/> against every key
    /// without stopping at a match, so neither the length nor the content of a key shows in the response time.</summary>
    private static bool Matches(string given, IReadOnlyList<string> keys)
    {
        Span<byte> givenDigest = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> keyDigest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(given), givenDigest);
        var match = false;
        foreach (var key in keys)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(key), keyDigest);
            match |= CryptographicOperations.FixedTimeEquals(givenDigest, keyDigest);
        }

        return match;
    }

    private Task RefuseAsync(HttpContext context, string? source)
    {
        if (source is not null)
        {
            LogWrongKey(logger, context.Request.Method, context.Request.Path, source, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        }

        // RFC 9110: a 401 names the scheme that would be accepted.
        context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer realm=\"bridge-middleware\"";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required",
            detail: source is null
                ? $"This middleware requires an API key on every route except /health, /alive and the dashboard: send header {HeaderName}: <key> or Authorization: Bearer <key>."
                : $"The API key in {source} matches none of the keys this middleware is configured with ({HeaderName} or Authorization: Bearer).")
            .ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path} from {RemoteAddress}: the API key in {Source} matches no configured key")]
    private static partial void LogWrongKey(ILogger logger, string method, string path, string source, string remoteAddress);
}
