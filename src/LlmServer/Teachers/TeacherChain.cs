using System.Diagnostics;
using LlmServer.Teachers.Embedded;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace LlmServer.Teachers;

/// <summary>
/// Asks the providers of <c>Teacher:Chain</c> in order: one that is unconfigured, failed recently, throws, answers with
/// nothing or exceeds <c>Teacher:TimeoutSeconds</c> hands the turn to the next. A request that names a provider asks
/// only that one.
/// </summary>
public sealed class TeacherChain(
    IEnumerable<ITeacherProvider> providers,
    IOptions<TeacherOptions> options,
    ProviderAvailability availability,
    TeacherPersona persona,
    ILogger<TeacherChain> logger)
{
    private readonly IReadOnlyDictionary<string, ITeacherProvider> _providers =
        providers.ToDictionary(provider => provider.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<string> Names { get; } = options.Value.ResolveChain();

    public IReadOnlyCollection<ITeacherProvider> Providers { get; } = [.. providers];

    public ITeacherProvider? Find(string name) => _providers.GetValueOrDefault(name);

    public async Task<TeacherAnswer> AnswerAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        var explicitChoice = request.Provider is not null;
        var candidates = explicitChoice ? [request.Provider!.ToLowerInvariant()] : Names;
        var timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        var retryAfter = TimeSpan.FromSeconds(options.Value.RetryUnavailableAfterSeconds);
        var failures = new List<string>();
        string? systemPrompt = null;

        for (var i = 0; i < candidates.Count; i++)
        {
            var name = candidates[i];
            var isLast = i == candidates.Count - 1;
            if (!_providers.TryGetValue(name, out var provider))
            {
                failures.Add($"{name}: not a provider of this server");
                continue;
            }

            if (provider.ConfigurationProblem is { } problem)
            {
                failures.Add($"{name}: {problem}");
                continue;
            }

            // A provider that just failed is skipped so every turn does not pay its timeout again, unless nothing follows it.
            if (!explicitChoice && !isLast && availability.IsKnownUnusable(name, retryAfter))
            {
                failures.Add($"{name}: skipped, {availability.Get(name)?.Probe.Detail ?? "failed recently"}");
                continue;
            }

            var model = ModelFor(provider, request.Model);
            var answer = await TryAsync(provider, model, BuildMessages(request, provider, ref systemPrompt), request.Topic, timeout, failures, cancellationToken);
            if (answer is not null)
            {
                return answer;
            }
        }

        throw new TeacherUnavailableException(failures);
    }

    private async Task<TeacherAnswer?> TryAsync(ITeacherProvider provider, string model, IReadOnlyList<ChatMessage> messages, string? topic,
        TimeSpan timeout, List<string> failures, CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions
        {
            ModelId = model,
            Temperature = 0.7f,
            MaxOutputTokens = 160,
            AdditionalProperties = topic is null ? null : new AdditionalPropertiesDictionary { [EmbeddedChatClient.TopicProperty] = topic },
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await provider.ChatClient.GetResponseAsync(messages, chatOptions, deadline.Token);
            var text = response.Text?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                throw new InvalidOperationException($"{provider.Name} answered with an empty message");
            }

            availability.RecordSuccess(provider.Name);
            return new TeacherAnswer(text, response.ModelId ?? model, provider.Name, clock.ElapsedMilliseconds);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var detail = deadline.IsCancellationRequested
                ? $"no answer within {timeout.TotalSeconds:0.###} s (Teacher:TimeoutSeconds)"
                : provider.DescribeFailure(ex, model);
            availability.RecordFailure(provider.Name, detail);
            failures.Add($"{provider.Name}: {detail}");
            logger.LogWarning("Teacher provider {Provider} with model {Model} failed after {ElapsedMs} ms: {Reason}",
                provider.Name, model, clock.ElapsedMilliseconds, detail);
            return null;
        }
    }

    /// <summary>A requested model goes to the providers that serve models by name; the embedded teacher has only its own.</summary>
    private static string ModelFor(ITeacherProvider provider, string? requested) =>
        string.IsNullOrWhiteSpace(requested) || provider.Name == ProviderNames.Embedded ? provider.DefaultModel : requested;

    /// <param name="systemPrompt">The persona, made once per turn however many providers are tried.</param>
    private List<ChatMessage> BuildMessages(TeacherRequest request, ITeacherProvider provider, ref string? systemPrompt)
    {
        var messages = new List<ChatMessage>();
        // The embedded teacher follows its own scripts and drops system turns, so it is spared the persona.
        if (provider.Name != ProviderNames.Embedded)
        {
            messages.Add(new ChatMessage(ChatRole.System, systemPrompt ??= persona.For(request.Topic, request.History, request.Message)));
        }

        messages.AddRange(request.History.Select(turn => new ChatMessage(ToRole(turn.Role), turn.Content)));

        // A model needs a user turn to answer; an empty message means "open or carry on the conversation".
        // The embedded teacher reads an empty line as exactly that, so it gets the line as it came.
        var message = string.IsNullOrWhiteSpace(request.Message) && provider.Name != ProviderNames.Embedded
            ? "(The learner is listening. Start or carry on the conversation with one short, simple line.)"
            : request.Message;
        messages.Add(new ChatMessage(ChatRole.User, message));
        return messages;
    }

    private static ChatRole ToRole(string role) => role.ToLowerInvariant() switch
    {
        TeacherTurn.Teacher => ChatRole.Assistant,
        TeacherTurn.System => ChatRole.System,
        _ => ChatRole.User,
    };
}
