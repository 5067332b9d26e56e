using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Middleware.Infrastructure;
using Middleware.Sessions;

namespace Middleware.Apis;

/// <summary><c>?after=&lt;sequence&gt;&amp;limit=</c> on the endpoints that return exchanges: a page is bounded, so a
/// 100,000-exchange session costs a reader no more per request than a short one.</summary>
public readonly record struct ExchangePaging(int After, int Limit)
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 1000;

    public static bool TryParse(string? after, string? limit, out ExchangePaging paging, out ValidationProblem problem)
    {
        var errors = new Dictionary<string, string[]>();
        var afterValue = 0;
        var limitValue = DefaultLimit;
        if (after is not null && (!int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out afterValue)))
        {
            errors["after"] = [$"'{Truncate(after)}' is not a sequence number: use 0 or a whole positive number (the next_after of the previous page)."];
        }

        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out limitValue) || limitValue is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"'{Truncate(limit)}' is not a page size: use a whole number from 1 to {MaxLimit}."];
        }

        paging = new ExchangePaging(afterValue, limitValue);
        problem = errors.Count > 0 ? TypedResults.ValidationProblem(errors, title: "Invalid paging") : null!;
        return errors.Count == 0;
    }

    /// <summary>One page; <paramref name="pathAndQueryPrefix"/> ends in <c>?</c> or <c>&amp;</c> and is where the next page is.</summary>
    public async Task<ExchangePage> ReadAsync(SessionStore store, SessionRecord session, string pathAndQueryPrefix, CancellationToken cancellationToken)
    {
        var exchanges = await store.GetCompletedExchangesAsync(session.SessionId, After, Limit, cancellationToken);
        // Completed exchanges are numbered 1..Exchanges without gaps, so there is more exactly when the page ends before the count.
        int? nextAfter = exchanges.Count > 0 && exchanges[^1].Sequence < session.Exchanges ? exchanges[^1].Sequence : null;
        var next = nextAfter is { } n ? $"{pathAndQueryPrefix}after={n}&limit={Limit}" : null;
        return new ExchangePage(exchanges, session.Exchanges, After, Limit, nextAfter, next);
    }

    private static string Truncate(string value) => value.Length > 32 ? value[..32] + "…" : value;
}
