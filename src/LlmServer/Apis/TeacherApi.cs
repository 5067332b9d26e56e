using LlmServer.Teachers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LlmServer.Apis;

public static class TeacherApi
{
    public static IEndpointRouteBuilder MapTeacherApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Teacher");
        api.MapPost("/chat", ChatAsync);
        api.MapGet("/models", GetModelsAsync);
        api.MapGet("/providers", GetModelsAsync);
        return app;
    }

    public static async Task<Results<Ok<ChatReply>, ValidationProblem, ProblemHttpResult>> ChatAsync(
        ChatRequest request, TeacherChain chain, CancellationToken cancellationToken)
    {
        var errors = ChatRequestValidator.Validate(request, chain);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The chat request is not valid");
        }

        try
        {
            var answer = await chain.AnswerAsync(request.ToTeacherRequest(), cancellationToken);
            return TypedResults.Ok(new ChatReply(answer.Response, answer.Model, answer.Provider, answer.DurationMs));
        }
        catch (TeacherUnavailableException ex)
        {
            return TypedResults.Problem(
                title: "No teacher could answer",
                detail: string.Join("; ", ex.Failures),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    public static async Task<Ok<ModelsReply>> GetModelsAsync(
        TeacherChain chain, Reviews.ReviewerChain reviewers, ProviderProber prober, CancellationToken cancellationToken)
    {
        var probes = await prober.ProbeAsync(chain.Providers, cancellationToken);
        var providers = ProviderNames.All
            .Select(chain.Find)
            .OfType<ITeacherProvider>()
            .Select(provider =>
            {
                var probe = probes[provider.Name];
                var models = probe.Models.Count > 0 ? probe.Models : [provider.DefaultModel];
                return new ProviderReply(provider.Name, provider.ConfigurationProblem is null, probe.Reachable, models, probe.Detail);
            })
            .ToList();

        var active = chain.Names.FirstOrDefault(name => probes.TryGetValue(name, out var probe) && probe.Usable);
        // The rules (embedded) always answer, so the reviewer always has an active one.
        var reviewer = reviewers.Names.FirstOrDefault(name => name == ProviderNames.Embedded || (probes.TryGetValue(name, out var probe) && probe.Usable))
            ?? ProviderNames.Embedded;
        return TypedResults.Ok(new ModelsReply(active, chain.Names, providers, new RoleReply(reviewer, reviewers.Names)));
    }
}
