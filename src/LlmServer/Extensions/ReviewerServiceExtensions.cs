using LlmServer.Reviews;

namespace LlmServer.Extensions;

public static class ReviewerServiceExtensions
{
    /// <summary>The reviewer: the rule-based verifier and the judges of <c>Reviewer:Chain</c> (the teacher's providers).</summary>
    public static IHostApplicationBuilder AddReviewers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReviewerOptions>().BindConfiguration(ReviewerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<BetterReplyWriter>();
        builder.Services.AddSingleton<RuleVerifier>();
        builder.Services.AddSingleton<ReviewerChain>();
        return builder;
    }
}
