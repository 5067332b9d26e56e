using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OllamaSharp;
using OllamaSharp.Models.Exceptions;

namespace LlmServer.Teachers.Ollama;

/// <summary>A local Ollama server through OllamaSharp, which is itself an <see cref="IChatClient"/>.</summary>
public sealed class OllamaTeacherProvider : ITeacherProvider, IDisposable
{
    public const string HttpClientName = "ollama";

    private readonly OllamaApiClient _client;
    private readonly OllamaOptions _options;
    private readonly OllamaModelPuller _puller;

    public OllamaTeacherProvider(IHttpClientFactory httpClientFactory, IOptions<OllamaOptions> options, OllamaModelPuller puller)
    {
        _options = options.Value;
        _puller = puller;
        var http = httpClientFactory.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(_options.Url);
        _client = new OllamaApiClient(http, _options.Model);
    }

    public string Name => ProviderNames.Ollama;

    public string DefaultModel => _options.Model;

    public string? ConfigurationProblem => null;

    public IChatClient ChatClient => _client;

    public async Task<ProviderProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var models = (await _client.ListLocalModelsAsync(cancellationToken)).Select(model => model.Name).ToList();
            if (OllamaModels.Contains(models, _options.Model))
            {
                return new ProviderProbe(true, true, models, $"Ollama at {_options.Url} has {_options.Model}");
            }

            if (_options.AutoPull)
            {
                _puller.EnsurePulling(_client, _options.Model);
                return new ProviderProbe(true, false, models, $"Ollama at {_options.Url} is pulling {_options.Model} (Ollama:AutoPull)");
            }

            return new ProviderProbe(true, false, models, $"Ollama at {_options.Url} has no model {_options.Model}: {OllamaModels.PullHint(_options.Model)}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return ProviderProbe.Unreachable($"Ollama is not reachable at {_options.Url} ({ProviderFailure.Reason(ex)}); start it with `ollama serve`");
        }
    }

    public string DescribeFailure(Exception exception, string model)
    {
        // Depending on the call, OllamaSharp reports Ollama's 404 "model not found" as an OllamaException or as the HTTP status.
        if ((exception is OllamaException && exception.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            || exception is HttpRequestException { StatusCode: System.Net.HttpStatusCode.NotFound })
        {
            if (_options.AutoPull)
            {
                _puller.EnsurePulling(_client, model);
                return $"Ollama at {_options.Url} has no model {model}; pulling it now (Ollama:AutoPull)";
            }

            return $"Ollama at {_options.Url} has no model {model}: {OllamaModels.PullHint(model)}";
        }

        return exception is HttpRequestException or TaskCanceledException
            ? $"Ollama is not reachable at {_options.Url} ({ProviderFailure.Reason(exception)}); start it with `ollama serve`"
            : $"Ollama at {_options.Url} failed with model {model}: {exception.Message}";
    }

    public void Dispose() => _client.Dispose();
}
