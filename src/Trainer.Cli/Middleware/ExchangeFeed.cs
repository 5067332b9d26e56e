using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Trainer.Cli.Middleware;

/// <summary>An open <c>text/event-stream</c> from the middleware, read for its <c>exchange_completed</c> events.
/// It is opened before the session starts so that no exchange of a fast session is missed.</summary>
public sealed class ExchangeFeed(HttpRequestMessage request, HttpResponseMessage response) : IDisposable
{
    public async IAsyncEnumerable<ExchangeEvent> ReadExchangesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        string? eventName = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (eventName == "exchange_completed" && data.Length > 0 && TryParse(data.ToString()) is { } exchange)
                {
                    yield return exchange;
                }

                eventName = null;
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                eventName = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line[5..].TrimStart());
            }
        }
    }

    public void Dispose()
    {
        response.Dispose();
        request.Dispose();
    }

    private static ExchangeEvent? TryParse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ExchangeEvent>(json, Wire.Json);
        }
        catch (JsonException)
        {
            // A malformed event only costs the "latest exchange" line; progress comes from the status endpoint.
            return null;
        }
    }
}
