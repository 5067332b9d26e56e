using System.Diagnostics;
using LlmServer.Teachers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace LlmServer.Reviews;

/// <summary>
/// Reviews a learner reply with the judges of <c>Reviewer:Chain</c> in order. A judge that is unconfigured, failed
/// recently, is late (<c>Reviewer:TimeoutSeconds</c>) or answers with malformed or out-of-range JSON hands over to the
/// next; the rule-based verifier answers when none could, and the review says why in <c>fallback_reason</c>.
/// </summary>
public sealed class ReviewerChain(
    TeacherChain teachers,
    RuleVerifier rules,
    ProviderAvailability availability,
    IOptions<ReviewerOptions> options,
    IOptions<TeacherOptions> teacherOptions,
    ILogger<ReviewerChain> logger)
{
    public IReadOnlyList<string> Names { get; } = options.Value.ResolveChain(teacherOptions.Value);

    /// <param name="reviewer"><c>rules</c> or one provider to ask instead of the chain; null for the chain.</param>
    public async Task<Review> ReviewAsync(ReviewInput input, string? reviewer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var explicitChoice = reviewer is not null;
        IReadOnlyList<string> candidates = explicitChoice
            ? [reviewer!.Equals(ReviewerNames.Rules, StringComparison.OrdinalIgnoreCase) ? ProviderNames.Embedded : reviewer.ToLowerInvariant()]
            : Names;
        var failures = new List<string>();
        var retryAfter = TimeSpan.FromSeconds(teacherOptions.Value.RetryUnavailableAfterSeconds);

        foreach (var name in candidates)
        {
            if (name == ProviderNames.Embedded)
            {
                break;
            }

            if (teachers.Find(name) is not { } provider)
            {
                failures.Add($"{name}: not a provider of this server");
                continue;
            }

            if (provider.ConfigurationProblem is { } problem)
            {
                failures.Add($"{name}: {problem}");
                continue;
            }

            if (!explicitChoice && availability.IsKnownUnusable(name, retryAfter))
            {
                failures.Add($"{name}: skipped, {availability.Get(name)?.Probe.Detail ?? "failed recently"}");
                continue;
            }

            var review = await TryJudgeAsync(provider, input, failures, cancellationToken);
            if (review is not null)
            {
                return review with { DurationMs = clock.ElapsedMilliseconds };
            }
        }

        var fallback = failures.Count > 0 ? $"rule-based verifier instead: {string.Join("; ", failures)}" : null;
        return rules.Review(input) with { FallbackReason = fallback, DurationMs = clock.ElapsedMilliseconds };
    }

    private async Task<Review?> TryJudgeAsync(ITeacherProvider provider, ReviewInput input, List<string> failures, CancellationToken cancellationToken)
    {
        var model = provider.DefaultModel;
        var chatOptions = new ChatOptions
        {
            ModelId = model,
            Temperature = 0,
            MaxOutputTokens = 400,
            ResponseFormat = JudgePrompt.ResponseFormat,
        };

        var timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await provider.ChatClient.GetResponseAsync(JudgePrompt.Messages(input), chatOptions, deadline.Token);
            return JudgeAnswer.Parse(response.Text, $"{provider.Name}/{response.ModelId ?? model}");
        }
        catch (JudgeAnswerException ex)
        {
            // The backend works; only this answer is unusable, so the provider stays available for teaching.
            failures.Add($"{provider.Name}: {ex.Message}");
            logger.LogWarning("Judge {Provider} with model {Model} gave an unusable review: {Reason}", provider.Name, model, ex.Message);
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var detail = deadline.IsCancellationRequested
                ? $"no review within {timeout.TotalSeconds:0.###} s (Reviewer:TimeoutSeconds)"
                : provider.DescribeFailure(ex, model);
            if (!deadline.IsCancellationRequested)
            {
                availability.RecordFailure(provider.Name, detail);
            }

            failures.Add($"{provider.Name}: {detail}");
            logger.LogWarning("Judge {Provider} with model {Model} failed after {ElapsedMs} ms: {Reason}", provider.Name, model, clock.ElapsedMilliseconds, detail);
            return null;
        }
    }
}
