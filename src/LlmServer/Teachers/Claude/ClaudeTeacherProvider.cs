using System.Net;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Exceptions;
using LlmServer.Teachers.OpenAICompatible;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace LlmServer.Teachers.Claude;

/// <summary>Claude through the official Anthropic SDK, whose client is an <see cref="IChatClient"/> over the Messages API.</summary>
public sealed class ClaudeTeacherProvider : ITeacherProvider
{
    public const string HttpClientName = "claude";
    private const string ApiVersion = "2023-06-01";

    private readonly ClaudeOptions _options;
    private readonly HttpClient _http;

    public ClaudeTeacherProvider(IHttpClientFactory httpClientFactory, IOptions<ClaudeOptions> options)
    {
        _options = options.Value;
        _http = httpClientFactory.CreateClient(HttpClientName);
        var client = new AnthropicClient
        {
            ApiKey = _options.HasKey ? _options.ApiKey! : "no-key",
            BaseUrl = _options.BaseUrl.TrimEnd('/'),
            HttpClient = _http,
            MaxRetries = 0,
        };
        ChatClient = client.AsIChatClient(_options.Model, defaultMaxOutputTokens: 300);
    }

    public string Name => ProviderNames.Claude;

    public string DefaultModel => _options.Model;

    public string? ConfigurationProblem => _options.ConfigurationProblem;

    public IChatClient ChatClient { get; }

    public async Task<ProviderProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{_options.BaseUrl.TrimEnd('/')}/v1/models");
            if (_options.HasKey)
            {
                request.Headers.Add("x-api-key", _options.ApiKey);
            }

            request.Headers.Add("anthropic-version", ApiVersion);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return new ProviderProbe(true, false, [_options.Model], $"{_options.BaseUrl} rejected the API key ({(int)response.StatusCode}); check {_options.KeyVariable}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return new ProviderProbe(true, false, [_options.Model], $"{_options.BaseUrl} answered {(int)response.StatusCode} to GET /v1/models");
            }

            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var models = body?["data"]?.AsArray().Select(model => model?["id"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
            return new ProviderProbe(true, true, models.Count > 0 ? models : [_options.Model], $"{_options.BaseUrl} serves Claude");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderProbe.Unreachable(_options.Redact($"{_options.BaseUrl} is not reachable ({ProviderFailure.Reason(ex)})"));
        }
    }

    public string DescribeFailure(Exception exception, string model) => _options.Redact(exception switch
    {
        AnthropicApiException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } => $"{_options.BaseUrl} rejected the API key; check {_options.KeyVariable}",
        AnthropicApiException { StatusCode: HttpStatusCode.NotFound } => $"{_options.BaseUrl} has no model {model} (404); set Claude:Model",
        HttpRequestException { InnerException: { } inner } => $"{_options.BaseUrl} is not reachable ({inner.Message})",
        _ => $"{_options.BaseUrl} failed: {exception.Message}",
    });
}
