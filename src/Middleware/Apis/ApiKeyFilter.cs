using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Middleware.Sessions;

namespace Middleware.Apis;

/// <summary>When <c>Middleware:ApiKey</c> is set, a call needs header <c>X-Api-Key</c> with that value.
/// Browsers cannot set headers on an EventSource, so the query parameter <c>api_key</c> is accepted as well.</summary>
public sealed class ApiKeyFilter(IOptionsMonitor<MiddlewareOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "api_key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var expected = options.CurrentValue.ApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return await next(context);
        }

        var request = context.HttpContext.Request;
        var given = request.Headers[HeaderName].FirstOrDefault() ?? request.Query[QueryName].FirstOrDefault();
        if (given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
        {
            return await next(context);
        }

        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required",
            detail: given is null
                ? $"This middleware requires header {HeaderName} on control calls."
                : $"The {HeaderName} header does not match the configured key.");
    }
}
