using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every error leaves a Bridge service as RFC 9457 problem+json. A caller's malformed body becomes a 400 that
/// says what was wrong (the JSON path and reason), instead of the framework's bare 400 or a 500.
/// </summary>
public static class ProblemDetailsDefaults
{
    public static TBuilder AddDefaultProblemDetails<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails(options =>
            options.CustomizeProblemDetails = context =>
                context.ProblemDetails.Instance ??= $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path}");
        builder.Services.AddExceptionHandler<ClientClosedRequestHandler>();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Make minimal APIs throw on unreadable bodies so the handler above can explain them.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>A caller that hung up is not a server fault: record 499 (as nginx does) instead of a 500 with a stack trace.</summary>
    private sealed class ClientClosedRequestHandler : IExceptionHandler
    {
        public const int Status499ClientClosedRequest = 499;

        public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not OperationCanceledException || !httpContext.RequestAborted.IsCancellationRequested)
            {
                return ValueTask.FromResult(false);
            }

            httpContext.Response.StatusCode = Status499ClientClosedRequest;
            return ValueTask.FromResult(true);
        }
    }

    private sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException badRequest)
            {
                return false;
            }

            httpContext.Response.StatusCode = badRequest.StatusCode;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = new ProblemDetails
                {
                    Status = badRequest.StatusCode,
                    Title = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Invalid request",
                    Detail = Describe(badRequest),
                },
            });
        }

        private static string Describe(BadHttpRequestException exception) => exception.InnerException switch
        {
            JsonException { Path: { } path } json => $"The request body is not valid JSON for this endpoint at '{path}': {FirstSentence(json.Message)}",
            JsonException json => $"The request body is not valid JSON: {FirstSentence(json.Message)}",
            _ => exception.Message,
        };

        private static string FirstSentence(string message)
        {
            var end = message.IndexOf(". ", StringComparison.Ordinal);
            return end > 0 ? message[..(end + 1)] : message;
        }
    }
}
