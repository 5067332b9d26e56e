using Microsoft.Extensions.Options;

namespace Middleware.Apis;

/// <summary>
/// The keys a caller may present (<c>Middleware:ApiKey</c> and the list <c>Middleware:ApiKeys</c>). Any of them opens
/// every route; several at once let an operator rotate: add the new key, move the callers, remove the old one.
/// Blank entries are ignored, so <c>Middleware__ApiKey=</c> (compose's empty default) means "no key".
/// </summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "Middleware";

    public string? ApiKey { get; set; }

    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Every configured key, blanks dropped. Empty: the middleware is open (the default, for a loopback-only setup).</summary>
    public IReadOnlyList<string> Keys => [.. new[] { ApiKey }.Concat(ApiKeys).Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!).Distinct(StringComparer.Ordinal)];

    public bool IsRequired => Keys.Count > 0;
}

/// <summary>A key travels in an HTTP header, so it must be visible ASCII; a stray space or newline (from <c>$(cat file)</c>,
/// an <c>.env</c> line) would make the key impossible to send, so start-up fails instead. The message never repeats the key.</summary>
public sealed class ApiKeyOptionsValidator : IValidateOptions<ApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiKeyOptions options)
    {
        var failures = new List<string>();
        Check($"{ApiKeyOptions.SectionName}:ApiKey", options.ApiKey);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            Check($"{ApiKeyOptions.SectionName}:ApiKeys:{i}", options.ApiKeys[i]);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value) && !value.All(c => c is > ' ' and <= '~'))
            {
                failures.Add($"{key} must be visible ASCII without spaces (it is sent in an HTTP header); check for a trailing newline or space.");
            }
        }
    }
}
