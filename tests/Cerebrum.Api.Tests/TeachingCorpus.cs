namespace Cerebrum.Api.Tests;

/// <summary>A small teacher-like conversation written for the tests: questions, facts and reactions on a few topics.</summary>
public static class TeachingCorpus
{
    private static readonly string[][] Topics =
    [
        [
            "What is the weather like today?", "Rain comes from clouds.", "Clouds are made of tiny drops of water.",
            "Do you like sunny days?", "Snow falls when the air is very cold.", "What is your favorite season?",
            "There are four seasons: spring, summer, autumn and winter.", "Sunny days are warm and bright.",
        ],
        [
            "What food do you like to eat?", "Bread is made from flour and water.", "Do you like apples?",
            "Apples grow on trees.", "What do you eat for breakfast?", "Many people eat rice every day.",
            "Soup is warm and good on a cold day.", "Fruit is sweet and healthy.",
        ],
        [
            "Do you have a pet?", "Dogs like to run and play.", "Cats sleep for many hours a day.",
            "What is your favorite animal?", "Birds can fly because they have wings.", "Fish live in the water.",
            "A horse can run very fast.", "Do you like dogs or cats?",
        ],
    ];

    /// <summary>The teacher's n-th message (1-based) of a session that switches topic every 8 messages.</summary>
    public static string Message(int n)
    {
        var topic = Topics[(n - 1) / 8 % Topics.Length];
        var line = topic[(n - 1) % topic.Length];
        var follow = topic[(n * 3) % topic.Length];
        return n % 2 == 0 ? $"{line} {follow}" : line;
    }
}
