using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cerebrum.Api.Learning;

namespace Cerebrum.Api.Tests;

public sealed class EvaluateTests : IDisposable
{
    private static readonly string[] Fixed = ["Do you like sunny days when it is warm?", "Apples grow on tall trees in the garden.", "My cat sleeps all afternoon."];

    /// <summary>Sentences of the kind taught below (the teaching uses n below 1,000; some combinations recur).</summary>
    private static readonly string[] HeldOut = Enumerable.Range(2000, 30).Select(MadeUpText.Sentence).ToArray();
    private readonly TempDirectory _directory = new();

    private static async Task<JsonElement> EvaluateAsync(CerebrumHost host, object body)
    {
        using var response = await host.Client.PostAsJsonAsync("/api/evaluate", body);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Perplexity_of_a_fixed_text_falls_as_more_of_its_kind_is_learned_and_evaluating_learns_nothing()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        var curve = new List<double>();
        var taught = 0;
        foreach (var until in new[] { 20, 200, 1000 })
        {
            for (; taught < until; taught++)
            {
                await host.ChatAsync(MadeUpText.Sentence(taught), $"teach:{taught + 1}");
            }

            var evaluation = await EvaluateAsync(host, new { texts = HeldOut });
            curve.Add(evaluation.GetProperty("perplexity").GetDouble());
            evaluation.GetProperty("sentences").GetInt32().ShouldBe(30);
        }

        curve[1].ShouldBeLessThan(curve[0]);
        curve[2].ShouldBeLessThan(curve[1]);
        (await host.StatusAsync()).GetProperty("observations").GetInt64().ShouldBe(1000, "evaluate must not learn");
    }

    [Fact]
    public async Task Words_and_sentences_are_counted_without_punctuation()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        await host.ChatAsync("Do you like sunny days?", "s:1");

        var evaluation = await EvaluateAsync(host, new { texts = Fixed });

        evaluation.GetProperty("sentences").GetInt32().ShouldBe(3);
        evaluation.GetProperty("words").GetInt32().ShouldBe(22);
        evaluation.GetProperty("tokens").GetInt32().ShouldBe(22 + 3 + 3, "words, three full stops or question marks, three sentence ends");
    }

    [Fact]
    public async Task Unknown_words_are_counted_and_priced_by_their_spelling()
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));
        for (var n = 1; n <= 100; n++)
        {
            await host.ChatAsync(TeachingCorpus.Message(n), $"teach:{n}");
        }

        var known = await EvaluateAsync(host, new { texts = new[] { "Do you like dogs?" } });
        var wordLike = await EvaluateAsync(host, new { texts = new[] { "Do you like dags?" } });
        var garbage = await EvaluateAsync(host, new { texts = new[] { "Do you like xqzvvkj?" } });

        known.GetProperty("oov_rate").GetDouble().ShouldBe(0);
        wordLike.GetProperty("oov_rate").GetDouble().ShouldBe(0.25);
        wordLike.GetProperty("unknown_words").GetInt32().ShouldBe(1);
        known.GetProperty("perplexity").GetDouble().ShouldBeLessThan(wordLike.GetProperty("perplexity").GetDouble());
        wordLike.GetProperty("perplexity").GetDouble().ShouldBeLessThan(garbage.GetProperty("perplexity").GetDouble(),
            "a word spelled like known words is likelier than a string of odd letters");
        double.IsFinite(garbage.GetProperty("perplexity").GetDouble()).ShouldBeTrue();
    }

    [Fact]
    public void The_spelling_model_gives_every_string_a_probability_and_shorter_strings_more()
    {
        var spelling = new SpellingModel();
        foreach (var word in new[] { "apple", "apply", "ample", "maple", "simple" })
        {
            spelling.Learn(word);
        }

        // Σ over all one-character strings of code units plus the empty string stays below one.
        var lengthAtMostOne = Math.Exp(spelling.LogProbability(""));
        for (var c = 0; c < 65_536; c++)
        {
            lengthAtMostOne += Math.Exp(spelling.LogProbability(((char)c).ToString()));
        }

        lengthAtMostOne.ShouldBeLessThan(1.0);
        spelling.LogProbability("apple").ShouldBeGreaterThan(spelling.LogProbability("xqzvv"));
        double.IsFinite(spelling.LogProbability(new string('\u4e00', 300))).ShouldBeTrue();
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "malformed JSON", "{\"texts\": [" },
        { "no texts", "{}" },
        { "empty list", "{\"texts\": []}" },
        { "texts is a string", "{\"texts\": \"hello\"}" },
        { "a null text", "{\"texts\": [\"hello\", null]}" },
        { "only punctuation", "{\"texts\": [\"?!\", \"...\"]}" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_evaluate_body_returns_problem_details(string why, string body)
    {
        await using var host = new CerebrumHost(_directory.File("cerebrum.db"));

        using var response = await host.Client.PostAsync("/api/evaluate", new StringContent(body, Encoding.UTF8, "application/json"));

        ((int)response.StatusCode).ShouldBe(400, why);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", why);
    }

    public void Dispose() => _directory.Dispose();
}
