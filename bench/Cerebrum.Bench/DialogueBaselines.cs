namespace Cerebrum.Bench;

/// <summary>Baselines of the dialogue benchmark, built from the taught dialogues only.</summary>
public static class DialogueBaselines
{
    public static Func<string, string> Echo() => message => message;

    /// <summary>A random taught turn (seeded, so every run draws the same).</summary>
    public static Func<string, string> RandomTurn(IReadOnlyList<IReadOnlyList<string>> taught, int seed)
    {
        var turns = taught.SelectMany(d => d).ToList();
        var random = new Random(seed);
        return _ => turns[random.Next(turns.Count)];
    }

    /// <summary>TF-IDF retrieval: the turn that followed the taught turn most similar to the message
    /// (cosine of TF-IDF vectors of normalised words, IDF over the taught turns).</summary>
    public static Func<string, string> TfIdf(IReadOnlyList<IReadOnlyList<string>> taught)
    {
        var stimuli = new List<(Dictionary<string, double> Vector, string Next)>();
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var documents = 0;
        foreach (var dialogue in taught)
        {
            foreach (var turn in dialogue)
            {
                documents++;
                foreach (var word in DialogueMetrics.Normalise(turn).Distinct())
                {
                    documentFrequency[word] = documentFrequency.GetValueOrDefault(word) + 1;
                }
            }
        }

        double Idf(string word) => Math.Log((documents + 1.0) / (documentFrequency.GetValueOrDefault(word) + 1.0)) + 1;

        Dictionary<string, double> Vector(string text)
        {
            var vector = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var word in DialogueMetrics.Normalise(text))
            {
                vector[word] = vector.GetValueOrDefault(word) + 1;
            }

            var norm = 0.0;
            foreach (var word in vector.Keys.ToList())
            {
                vector[word] *= Idf(word);
                norm += vector[word] * vector[word];
            }

            norm = Math.Sqrt(norm);
            foreach (var word in vector.Keys.ToList())
            {
                vector[word] /= norm;
            }

            return vector;
        }

        foreach (var dialogue in taught)
        {
            for (var i = 0; i + 1 < dialogue.Count; i++)
            {
                if (DialogueMetrics.Normalise(dialogue[i]).Length > 0)
                {
                    stimuli.Add((Vector(dialogue[i]), dialogue[i + 1]));
                }
            }
        }

        return message =>
        {
            var query = Vector(message);
            var best = stimuli[0].Next;
            var bestScore = -1.0;
            foreach (var (vector, next) in stimuli)
            {
                var score = 0.0;
                foreach (var (word, weight) in query)
                {
                    if (vector.TryGetValue(word, out var other))
                    {
                        score += weight * other;
                    }
                }

                if (score > bestScore)
                {
                    bestScore = score;
                    best = next;
                }
            }

            return best;
        };
    }
}
