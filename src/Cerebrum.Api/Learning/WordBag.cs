namespace Cerebrum.Api.Learning;

/// <summary>
/// The words of a text as <see cref="Lexicon"/> ids: <see cref="Ids"/> in their order (for fingerprints and bigrams)
/// and <see cref="Sorted"/>, the same ids sorted, for unigram F1 by one merge instead of a quadratic match of strings.
/// Matching each word of one text to an unused equal word of the other, as <see cref="WordOverlap.F1"/> does, counts
/// Σ min(count in a, count in b) over the words, which is what the merge of two sorted arrays counts: the same F1.
/// </summary>
public sealed class WordBag
{
    public static readonly WordBag Empty = new([]);

    public WordBag(int[] ids)
    {
        Ids = ids;
        if (ids.Length < 2)
        {
            Sorted = ids;
        }
        else
        {
            Sorted = (int[])ids.Clone();
            Array.Sort(Sorted);
        }
    }

    public int[] Ids { get; }

    public int[] Sorted { get; }

    public int Count => Ids.Length;

    /// <summary>A stable fingerprint of the ids in order: equal for the same words in the same order.</summary>
    public ulong Fingerprint
    {
        get
        {
            const ulong offset = 14695981039346656037;
            const ulong prime = 1099511628211;
            var hash = offset ^ (ulong)Ids.Length;
            foreach (var id in Ids)
            {
                hash = (hash ^ (uint)id) * prime;
                hash = (hash ^ ((uint)id >> 16)) * prime;
            }

            return hash;
        }
    }

    /// <summary>Unigram F1 of two bags, exactly <see cref="WordOverlap.F1"/> of the words they hold.</summary>
    public static double F1(WordBag guess, WordBag reference) => F1(guess.Sorted, reference.Sorted);

    public static double F1(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        int i = 0, j = 0, same = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                same++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return same == 0 ? 0 : 2.0 * same / (a.Length + b.Length);
    }

    /// <summary>F1 above <see cref="WordOverlap.CopyThreshold"/>, with the same length shortcut as
    /// <see cref="WordOverlap.IsCopy"/>.</summary>
    public static bool IsCopy(WordBag reply, WordBag other) =>
        2.0 * Math.Min(reply.Count, other.Count) / Math.Max(1, reply.Count + other.Count) > WordOverlap.CopyThreshold
        && F1(reply, other) > WordOverlap.CopyThreshold;
}
