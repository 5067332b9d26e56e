using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Middleware.Sessions;

/// <summary>Which failures of a peer are worth waiting out (the session pauses) and which end the session.</summary>
public static class TransientErrors
{
    public static bool IsTransient(Exception exception, CancellationToken callerToken) => exception switch
    {
        // Refit wraps transport failures (connection refused, DNS, reset) in ApiRequestException.
        ApiRequestException request => request.InnerException is null || IsTransient(request.InnerException, callerToken),
        ApiException api => (int)api.StatusCode >= 500 || api.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        HttpRequestException => true,
        TimeoutRejectedException or BrokenCircuitException => true,
        // A fired deadline (ours or a client's own): the peer or the broker may answer the next attempt.
        TimeoutException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested,
        Teachers.TeacherUnavailableException => true,
        MassTransit.RequestTimeoutException or MassTransit.RequestFaultException => true,
        MassTransit.MassTransitException => true,
        { InnerException: { } inner } => IsTransient(inner, callerToken),
        _ => false,
    };

    public static string Describe(Exception exception) => exception switch
    {
        ApiException api => $"{api.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Path)} answered {(int)api.StatusCode} {api.ReasonPhrase}",
        TimeoutRejectedException => "the peer did not answer in time",
        BrokenCircuitException => "the peer failed repeatedly; waiting before calling it again",
        _ => exception.Message,
    };
}
