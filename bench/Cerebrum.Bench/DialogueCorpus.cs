namespace Cerebrum.Bench;

/// <summary>
/// The real dialogues the learner is measured on: one turn per line, a blank line between dialogues. The file is read
/// from outside the repository (evaluation only); nothing of it is written into the repository.
/// </summary>
public sealed record DialogueCorpus(IReadOnlyList<IReadOnlyList<string>> Dialogues)
{
    /// <summary><c>../shared/data/dialogue/daily-dialogues-dev.txt</c> from the repository root; from a git worktree
    /// further down, the nearest ancestor that has <c>shared/data/dialogue/</c>.</summary>
    public static string DefaultPath
    {
        get
        {
            var relative = Path.Combine("shared", "data", "dialogue", "daily-dialogues-dev.txt");
            for (var directory = Directory.GetParent(RepoPaths.Root); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", relative));
        }
    }

    public static DialogueCorpus Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No dialogue file at {path} (pass --dialogues <path>).", path);
        }

        var dialogues = new List<IReadOnlyList<string>>();
        var current = new List<string>();
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            current.Add(line);
        }

        Flush();
        return new DialogueCorpus(dialogues);

        void Flush()
        {
            if (current.Count > 0)
            {
                dialogues.Add(current);
                current = [];
            }
        }
    }
}
