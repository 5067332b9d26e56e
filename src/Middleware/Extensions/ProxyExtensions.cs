using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Middleware.Apis;
using Middleware.Infrastructure;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Middleware.Extensions;

public static class ProxyExtensions
{
    public static IServiceCollection AddPeerProxy(this IServiceCollection services)
    {
        // The middleware's key is for the middleware: whatever form it came in, it never reaches Cerebrum or LlmServer
        // (on every route, including any added later).
        services.AddReverseProxy().AddTransforms(transforms =>
        {
            transforms.AddRequestHeaderRemove(ApiKeyMiddleware.HeaderName);
            transforms.AddRequestHeaderRemove(HeaderNames.Authorization);
            transforms.AddQueryRemoveKey(ApiKeyMiddleware.QueryName);
        });
        services.AddSingleton<IProxyConfigProvider, PeerProxyConfigProvider>();
        return services;
    }

    /// <summary>Maps the pass-through routes; a peer that cannot be reached answers 502 problem+json saying which.</summary>
    public static IEndpointRouteBuilder MapPeerProxy(this WebApplication app)
    {
        app.MapReverseProxy(proxy => proxy.Use(async (context, next) =>
        {
            await next();
            var error = context.GetForwarderErrorFeature();
            if (error is null || context.Response.HasStarted)
            {
                return;
            }

            var status = error.Error is ForwarderError.RequestTimedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway;
            var destination = context.GetReverseProxyFeature().ProxiedDestination?.Model.Config.Address ?? "the peer";
            context.Response.StatusCode = status;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = status,
                    Title = "Peer service unavailable",
                    Detail = $"{destination} did not answer ({error.Error}): {error.Exception?.Message ?? "no response"}",
                },
            });
        }));
        return app;
    }
}
