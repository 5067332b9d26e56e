using System.Text;

namespace LlmServer.Teachers.Embedded;

/// <summary>
/// FNV-1a over UTF-8. <see cref="string.GetHashCode()"/> changes from run to run; the embedded teacher must answer the
/// same (topic, history, message) the same way in every process so its behaviour can be tested and reproduced.
/// </summary>
internal static class StableHash
{
    public static ulong Of(params string[] parts)
    {
        const ulong offset = 14695981039346656037;
        const ulong prime = 1099511628211;
        var hash = offset;
        foreach (var part in parts)
        {
            foreach (var b in Encoding.UTF8.GetBytes(part))
            {
                hash = (hash ^ b) * prime;
            }

            hash = (hash ^ 0x1F) * prime;
        }

        return hash;
    }
}
