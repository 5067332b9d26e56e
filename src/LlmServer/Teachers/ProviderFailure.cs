namespace LlmServer.Teachers;

internal static class ProviderFailure
{
    /// <summary>The cause worth showing an operator: for an HTTP failure the socket error under it, not its wrapper.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        OperationCanceledException => "no answer in time",
        HttpRequestException { InnerException: { } inner } => inner.Message,
        _ => exception.Message,
    };
}
