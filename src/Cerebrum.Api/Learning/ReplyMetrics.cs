namespace Cerebrum.Api.Learning;

public static class ReplyMetrics
{
    /// <summary>distinct-n (Li et al. 2016): distinct n-grams over all n-grams in a set of replies.</summary>
    public static double DistinctN(IEnumerable<IReadOnlyList<string>> replies, int n)
    {
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var total = 0;
        foreach (var words in replies)
        {
            for (var i = 0; i + n <= words.Count; i++)
            {
                distinct.Add(string.Join(' ', words.Skip(i).Take(n)));
                total++;
            }
        }

        return total == 0 ? 0 : distinct.Count / (double)total;
    }
}
