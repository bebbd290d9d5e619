namespace Megaco.TestSupport;

/// <summary>
/// Where the repository and the shared folder beside it are. CI clones the repository with
/// <c>shared/</c> next to it, so the tests find it as <c>../shared</c> from the repository root.
/// </summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The folder holding <c>H248.sln</c>, found by walking up from the test assembly.</summary>
    public static string RepoRoot => Root.Value;

    public static string SharedRoot => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>The Erlang/OTP megaco test messages: <c>v1/</c>, <c>v2/</c>, <c>v3/</c>.</summary>
    public static string OtpCorpus => Path.Combine(SharedRoot, "corpus", "otp-megaco-tests");

    /// <summary>Our own corpus under <c>tests/corpus</c>.</summary>
    public static string OwnCorpus => Path.Combine(RepoRoot, "tests", "corpus");

    /// <summary>Corpus files of every version whose name ends with <paramref name="suffix"/>, ordered by path.</summary>
    public static IReadOnlyList<string> OtpCorpusFiles(string suffix)
    {
        if (!Directory.Exists(OtpCorpus))
        {
            throw new DirectoryNotFoundException($"the shared corpus is missing: {OtpCorpus} (clone shared/ beside the repository)");
        }
        var files = new List<string>();
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            files.AddRange(Directory.GetFiles(Path.Combine(OtpCorpus, version), "*" + suffix));
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>A corpus file's path relative to the corpus root with '/' separators, e.g. <c>v3/001-msg01a.pretty.txt</c>.</summary>
    public static string CorpusName(string path) =>
        Path.GetRelativePath(OtpCorpus, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "H248.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no H248.sln above {AppContext.BaseDirectory}");
    }
}
