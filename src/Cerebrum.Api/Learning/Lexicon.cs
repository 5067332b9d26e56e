namespace Cerebrum.Api.Learning;

/// <summary>
/// A dense integer id for every word the learner has read (messages, replies, corrections), so texts are compared as
/// arrays of ints instead of strings: unigram F1 between candidates, copy checks against a conversation's turns and
/// recent bigrams run on every request and were the largest cost of a reply. Unlike <see cref="Vocabulary"/> it
/// changes no probability, so reading a word here (even one only asked about) leaves the model as it was. Ids carry
/// no meaning beyond equality: a replay that assigns them in another order answers the same.
/// Not thread-safe: <see cref="Learner"/> serialises access.
/// </summary>
public sealed class Lexicon
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public int Count => _ids.Count;

    public int GetOrAdd(string word)
    {
        ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_ids, word, out var exists);
        if (!exists)
        {
            id = _ids.Count;
        }

        return id;
    }

    /// <summary>The ids of words, in their order.</summary>
    public int[] Ids(IReadOnlyList<string> words)
    {
        var ids = new int[words.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = GetOrAdd(words[i]);
        }

        return ids;
    }
}
