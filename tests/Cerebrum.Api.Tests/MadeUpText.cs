namespace Cerebrum.Api.Tests;

/// <summary>Made-up sentences of one kind, from small word lists (neighbouring n give different sentences).</summary>
public static class MadeUpText
{
    private static readonly string[] Nouns = ["kettle", "lantern", "bicycle", "garden", "violin", "harbour", "meadow", "ladder", "window", "river", "pillow", "market"];
    private static readonly string[] Adjectives = ["old", "shiny", "quiet", "broken", "yellow", "tiny", "heavy", "friendly"];
    private static readonly string[] Verbs = ["waits", "sparkles", "rests", "hums", "leans", "sleeps"];
    private static readonly string[] Places = ["by the door", "near the hill", "under the bridge", "behind the school", "in the kitchen"];

    public static string Sentence(int n) =>
        $"The {Adjectives[n % Adjectives.Length]} {Nouns[n / 3 % Nouns.Length]} {Verbs[n / 7 % Verbs.Length]} {Places[n / 11 % Places.Length]}.";
}
