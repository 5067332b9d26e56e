using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace LlmServer.Teachers.OpenAICompatible;

/// <summary>
/// A provider that speaks OpenAI's chat-completions API: OpenAI, vLLM, llama.cpp's server, or Gemini's compatible
/// endpoint. The OpenAI SDK does the wire format; Microsoft.Extensions.AI.OpenAI makes it an <see cref="IChatClient"/>.
/// </summary>
public sealed class OpenAICompatibleTeacherProvider : ITeacherProvider
{
    private readonly HostedModelOptions _options;
    private readonly HttpClient _http;

    public OpenAICompatibleTeacherProvider(string name, HostedModelOptions options, HttpClient http)
    {
        Name = name;
        _options = options;
        _http = http;
        var client = new ChatClient(options.Model, new ApiKeyCredential(options.HasKey ? options.ApiKey! : "no-key"), new OpenAIClientOptions
        {
            Endpoint = new Uri(WithTrailingSlash(options.BaseUrl)),
            Transport = new HttpClientPipelineTransport(http),
            // The chain decides what happens after a failure: the next provider, not the same one again.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
        ChatClient = client.AsIChatClient();
    }

    public string Name { get; }

    public string DefaultModel => _options.Model;

    public string? ConfigurationProblem => _options.ConfigurationProblem;

    public IChatClient ChatClient { get; }

    public async Task<ProviderProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(WithTrailingSlash(_options.BaseUrl)), "models"));
            if (_options.HasKey)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                return new ProviderProbe(true, false, [_options.Model], $"{_options.BaseUrl} rejected the API key ({(int)response.StatusCode}); check {_options.KeyVariable}");
            }

            if (!response.IsSuccessStatusCode)
            {
                return new ProviderProbe(true, false, [_options.Model], $"{_options.BaseUrl} answered {(int)response.StatusCode} to GET models");
            }

            var models = ModelIds(await response.Content.ReadAsStringAsync(cancellationToken));
            var listed = models.Count == 0 || models.Any(id => id.Equals(_options.Model, StringComparison.OrdinalIgnoreCase) || id.EndsWith("/" + _options.Model, StringComparison.OrdinalIgnoreCase));
            return new ProviderProbe(true, true, models.Count > 0 ? models : [_options.Model],
                listed ? $"{_options.BaseUrl} serves {_options.Model}" : $"{_options.BaseUrl} answers, but does not list {_options.Model}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderProbe.Unreachable($"{_options.BaseUrl} is not reachable ({_options.Redact(ProviderFailure.Reason(ex))})");
        }
    }

    public string DescribeFailure(Exception exception, string model) => _options.Redact(exception switch
    {
        ClientResultException { Status: 401 or 403 } e => $"{_options.BaseUrl} rejected the API key ({e.Status}); check {_options.KeyVariable}",
        ClientResultException { Status: 404 } => $"{_options.BaseUrl} has no model {model} (404); set {Name switch { ProviderNames.Gemini => "Gemini", _ => "OpenAI" }}:Model",
        ClientResultException e => $"{_options.BaseUrl} answered {e.Status}: {e.Message}",
        _ => $"{_options.BaseUrl} failed: {ProviderFailure.Reason(exception)}",
    });

    private static IReadOnlyList<string> ModelIds(string json)
    {
        try
        {
            return JsonNode.Parse(json)?["data"]?.AsArray().Select(model => model?["id"]?.GetValue<string>()).OfType<string>().ToList() ?? [];
        }
        catch (System.Text.Json.JsonException)
        {
            return [];
        }
    }

    internal static string WithTrailingSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
